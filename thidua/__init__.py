"""ThiĐua: emulation and commendation management for Vietnamese public organisations."""

__version__ = "0.1.0"
