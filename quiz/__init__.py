"""`course quiz`: the course notes as questions, scored, remembered and reviewed.

bank/       the questions as data: one TOML file per notes section (topics.toml: topics)
asking/     what is asked: loading the bank, question kinds, formula generators, replies
memory/     what is remembered: the history, the FSRS schedule, statistics
terminal/   what the learner sees: prompts, feedback, tables
session.py  one session: ask, score, show feedback, log each answer at once
anki.py     the bank as a file Anki imports
"""
