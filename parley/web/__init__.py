"""Server-rendered pages: thin views that parse input, call one action or query, render."""
