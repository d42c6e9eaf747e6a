"""Stage 4, write: graph/ on disk (deterministic, atomic) and to remote stores."""
