"""What is asked: the bank loaded from quiz/bank/*.toml, the question kinds, formula
generators, reading typed replies, and choosing which questions a session asks."""
