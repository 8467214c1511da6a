"""Settings: ``base`` holds everything; ``demo``, ``test`` and ``prod`` override what differs."""
