"""YesCount: pick one NYC outing and one evening that works for most of your friends."""

__version__ = "0.1.0"
