"""Operations commands: ``cleanup``, ``backup``, ``restore``, ``copy-db``, ``smoke``."""
