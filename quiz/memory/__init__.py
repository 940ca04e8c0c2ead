"""What is remembered: the answer history (SQLite), the FSRS schedule, and the statistics."""
