"""Each question kind scores right, wrong and near-miss answers, and replies parse as typed."""

import pytest

from course.quiz.asking.bank import load_bank
from course.quiz.asking.kinds import (
    Grade,
    MultipleChoice,
    Numeric,
    Open,
    ShortText,
    SingleChoice,
)
from course.quiz.asking.replies import (
    UnreadableReply,
    parse_choice,
    parse_choices,
    parse_grade,
    parse_number,
)

COMMON = {"id": "t.q", "topic": "cnn", "section": "1", "prompt": "?", "explanation": "because"}
SINGLE = SingleChoice(**COMMON, choices=("Sigmoid", "Softmax", "ReLU"), answer="Softmax")
MULTIPLE = MultipleChoice(
    **COMMON, choices=("Convolution", "Flattening", "ReLU", "Pooling"),
    answers=frozenset({"Convolution", "ReLU", "Pooling"}),
)  # fmt: skip
PARAMS = Numeric(**COMMON, answer=1600)
VGG = Numeric(**COMMON, answer=138, tolerance=2, unit="million")
TEXT = ShortText(**COMMON, accepted=("cross-attention", "encoder-decoder attention"))
OPEN = Open(**COMMON, model_answer="Vanishing gradients.", key_points=("vanishing",))


def test_single_choice_is_right_only_for_the_answer():
    assert SINGLE.score(1).correct and SINGLE.score(1).grade == Grade.GOOD
    wrong = SINGLE.score(0)
    assert not wrong.correct and wrong.grade == Grade.AGAIN
    assert (wrong.given, wrong.expected) == ("Sigmoid", "Softmax")


def test_select_all_needs_exactly_the_right_choices_no_fewer_no_more():
    assert MULTIPLE.score(frozenset({0, 2, 3})).correct
    near_miss = MULTIPLE.score(frozenset({0, 2}))
    assert not near_miss.correct
    assert near_miss.expected == "Convolution; ReLU; Pooling"
    assert not MULTIPLE.score(frozenset({0, 1, 2, 3})).correct
    assert MULTIPLE.score(frozenset()).given == "(nothing)"


def test_exact_numeric_answer_rejects_a_near_miss_by_one():
    assert PARAMS.score(1600).correct
    assert not PARAMS.score(1601).correct
    assert not PARAMS.score(1599.5).correct
    assert PARAMS.score(1601).expected == "1,600"


def test_numeric_tolerance_accepts_its_edge_and_rejects_just_beyond():
    assert VGG.score(140).correct and VGG.score(136).correct
    assert not VGG.score(140.01).correct
    assert VGG.score(141).expected == "138 million (± 2)"


def test_numeric_float_answer_survives_rounding_noise():
    clipped = Numeric(**COMMON, answer=0.1 + 0.2)
    assert clipped.score(0.3).correct


def test_short_text_ignores_case_spaces_hyphens_and_end_punctuation():
    for typed in (
        "cross-attention",
        "Cross Attention",
        " CROSSATTENTION. ",
        "encoder decoder attention",
    ):
        assert TEXT.score(typed).correct, typed


def test_short_text_near_miss_spelling_is_wrong_and_shows_the_first_accepted():
    verdict = TEXT.score("cross-atention")
    assert not verdict.correct
    assert verdict.expected == "cross-attention"
    assert not TEXT.score("self-attention").correct


@pytest.mark.parametrize(("grade", "correct"), [(Grade.AGAIN, False), (Grade.HARD, True),
                                                (Grade.GOOD, True), (Grade.EASY, True)])  # fmt: skip
def test_open_questions_keep_the_learners_own_grade(grade, correct):
    verdict = OPEN.score(grade)
    assert verdict.grade == grade and verdict.correct == correct
    assert verdict.expected == "Vanishing gradients."


CHOICES = ("Sigmoid", "Softmax", "ReLU")


def test_a_choice_is_named_by_number_letter_or_text():
    assert parse_choice("2", CHOICES) == parse_choice("b", CHOICES) == 1
    assert parse_choice(" softmax ", CHOICES) == parse_choice("B", CHOICES) == 1


@pytest.mark.parametrize("reply", ["0", "4", "d", "tanh", ""])
def test_a_reply_naming_no_choice_explains_what_would(reply):
    with pytest.raises(UnreadableReply, match="1-3, a-c"):
        parse_choice(reply, CHOICES)


def test_select_all_replies_accept_commas_spaces_letters_and_texts():
    expected = frozenset({0, 2})
    for reply in ("1,3", "1, 3", "a,c", "1 3", "a c", "Sigmoid, ReLU", "1;3"):
        assert parse_choices(reply, CHOICES) == expected, reply
    assert parse_choices("ReLU", CHOICES) == frozenset({2})
    with pytest.raises(UnreadableReply):
        parse_choices("1,9", CHOICES)


@pytest.mark.parametrize(
    ("reply", "unit", "value"),
    [("1600", "", 1600), ("1,600", "", 1600), ("25,000,000", "", 25e6), ("0.5", "", 0.5),
     ("1/1024", "", 1 / 1024), ("75%", "%", 75), ("138 million", "million", 138), ("1e-3", "", 0.001)],
)  # fmt: skip
def test_numbers_are_read_as_people_type_them(reply, unit, value):
    assert parse_number(reply, unit) == pytest.approx(value)


@pytest.mark.parametrize("reply", ["", "lots", "1/0", "0,5"])
def test_unreadable_numbers_are_refused(reply):
    with pytest.raises(UnreadableReply, match="answer with a number"):
        parse_number(reply)


def test_self_grades_accept_numbers_words_and_initials():
    assert parse_grade("1") == parse_grade("again") == parse_grade("a") == Grade.AGAIN
    assert parse_grade("3") == parse_grade("Good") == Grade.GOOD
    assert parse_grade("e") == Grade.EASY
    with pytest.raises(UnreadableReply):
        parse_grade("5")


@pytest.fixture(scope="module")
def bank_questions():
    return {question.id: question for question in load_bank().questions}


@pytest.mark.parametrize(
    ("question_id", "typed"),
    [("mistake.no-grad", "with torch.no_grad():"), ("mistake.no-grad", "torch.no_grad():"),
     ("opt.clip-function", "clip_grad_norm_()"),
     ("opt.clip-function", "torch.nn.utils.clip_grad_norm_()"),
     ("arch.residual-output", "H(x) = F(x) + x"), ("arch.residual-output", "y = F(x) + x"),
     ("cnn.relu", "Rectified Linear Unit (ReLU)"), ("cnn.relu", "ReLU (rectified linear unit)"),
     ("arch.alexnet-competition", "ImageNet (ILSVRC)"),
     ("mistake.min-spatial-size", "4×4")],
)  # fmt: skip
def test_a_right_answer_typed_the_way_people_write_it_is_right(bank_questions, question_id, typed):
    assert bank_questions[question_id].score(typed).correct, typed


@pytest.mark.parametrize(
    ("question_id", "typed"),
    [("cnn.relu", "Sigmoid (ReLU)"), ("cnn.relu", "sigmoid"), ("arch.residual-output", "F(x)"),
     ("mistake.no-grad", "with model.eval():"), ("arch.residual-output", "F(x) = x")],
)  # fmt: skip
def test_the_forgiving_readings_still_refuse_a_wrong_answer(bank_questions, question_id, typed):
    assert not bank_questions[question_id].score(typed).correct, typed


def test_a_percentage_means_hundredths_unless_the_question_asks_in_percent(bank_questions):
    dropout, pooling = (
        bank_questions["reg.dropout-cnn-rate"],
        bank_questions["cnn.pooling-reduction"],
    )
    assert dropout.score(parse_number("50%", dropout.unit)).correct
    assert dropout.score(parse_number("0.5", dropout.unit)).correct
    assert pooling.score(parse_number("75%", pooling.unit)).correct
    assert pooling.score(parse_number("0.75", pooling.unit)).correct
    assert not pooling.score(parse_number("0.25", pooling.unit)).correct


def test_a_wrong_select_all_names_what_was_missed_and_what_was_extra():
    verdict = MULTIPLE.score(frozenset({0, 1}))
    assert verdict.note == "Missed: ReLU; Pooling. Not part of the answer: Flattening."
    assert MULTIPLE.score(frozenset({0, 2, 3})).note == ""


def test_a_numeric_answer_that_a_known_mistake_gives_says_which_mistake():
    weights = Numeric(**COMMON, answer=1610, traps=((1600, "That leaves out the biases."),))
    assert weights.score(1600).note == "That leaves out the biases."
    assert weights.score(1599).note == ""
    assert weights.score(1610).note == ""


def test_the_banks_own_trap_speaks_for_a_remaining_share_given_as_the_reduction(bank_questions):
    verdict = bank_questions["cnn.pooling-reduction"].score(25)
    assert not verdict.correct and "remain" in verdict.note


def test_an_open_answer_keeps_what_the_learner_typed():
    assert OPEN.score(Grade.GOOD, "  gradients vanish ").given == "gradients vanish"
    assert OPEN.score(Grade.GOOD).given == "(no answer typed)"


@pytest.mark.parametrize(
    ("question_id", "typed", "says"),
    [("cnn.flatten-size", 25, "keeps all 64 channels"), ("arch.vgg-two-3x3-weights", 9,
      "one 3×3 filter"), ("rnn.vanishing-factor", 5, "multiplies them")],
)  # fmt: skip
def test_the_banks_traps_name_the_mistake_behind_a_wrong_number(
    bank_questions, question_id, typed, says
):
    verdict = bank_questions[question_id].score(typed)
    assert not verdict.correct and says in verdict.note
