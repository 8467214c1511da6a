"""Public consultations: conversations, statements, votes and the opinion map."""
