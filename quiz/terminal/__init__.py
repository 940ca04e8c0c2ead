"""What the learner sees in the terminal: prompts, feedback, and the tables."""
