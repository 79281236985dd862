"""The listening lab's offline feedback: EPITOME's three mechanisms graded none, weak or strong by rules, in
English and in Korean."""

import pytest

from workshop.activities.listening_feedback import (
    GRADE_ORDER,
    TIPS,
    Grade,
    Mechanism,
    Reflection,
    grade_best,
    reflection_grades,
    tip,
)

EM, IP, EX = Mechanism.EMOTIONS, Mechanism.INTERPRETATIONS, Mechanism.EXPLORATIONS
N, W, S = Grade.NONE, Grade.WEAK, Grade.STRONG

EXAMPLES = [
    # (language, paraphrase, feeling, question, emotions, interpretations, explorations)
    ("en", "You felt left out when the team planned the trip without asking you", "left out, hurt",
     "What was the hardest part of finding out?", S, S, S),
    ("en", "I understand", "bad", "Why?", W, W, W),
    ("en", "", "", "", N, N, N),
    ("en", "You should talk to your manager about it", "that's tough", "Did you tell them?", W, W, W),
    ("en", "It sounds like you did all the work and someone else got the credit", "frustrated",
     "What happened next?", S, S, W),
    ("en", "Same thing happened to me last year at my old job", "", "How did you feel when you saw the photo?",
     N, W, S),
    ("en", "So when your idea came back from him, you were invisible", "", "Tell me more about that meeting.",
     S, S, S),
    ("ko", "팀이 다 같이 계획을 세우면서 한 번도 물어보지 않아서 소외감을 느끼셨군요", "서운함",
     "그때 가장 힘들었던 순간은 어떤 때였나요?", S, S, S),
    ("ko", "이해해요", "힘들었겠어요", "왜 말 안 했어요?", W, W, W),
    ("ko", "다음에는 꼭 먼저 말해 보세요", "", "팀장님께 얘기했나요?", N, W, W),
    ("ko", "", "", "", N, N, N),
    ("ko", "혼자서 그 일을 다 하셨는데 다른 사람이 인정받았다는 말씀이네요", "억울함", "그래서요?", S, S, W),
    ("ko", "저도 작년에 비슷한 일이 있었어요", "", "그 일이 있고 나서 어떻게 지내셨어요?", N, W, S),
]


@pytest.mark.parametrize(("language", "paraphrase", "feeling", "question", "emotions", "interpretations",
                          "explorations"), EXAMPLES)
def test_each_mechanism_is_graded_by_the_rules(language, paraphrase, feeling, question, emotions,
                                               interpretations, explorations):
    grades = reflection_grades(Reflection(paraphrase, feeling, question), language=language)
    assert grades == {EM: emotions, IP: interpretations, EX: explorations}


def test_the_text_script_decides_the_rules_whatever_the_page_language():
    korean = Reflection("혼자서 그 일을 다 하셨는데 다른 사람이 인정받았다는 말씀이네요", "억울함",
                        "어떤 기분이 드셨어요?")
    assert reflection_grades(korean, language="en") == {EM: S, IP: S, EX: S}


def test_a_question_asked_in_the_paraphrase_counts():
    reflection = Reflection("You were left to do it alone. What did that week look like for you?", "lonely", "")
    assert reflection_grades(reflection, language="en")[EX] == S


def test_every_mechanism_and_grade_has_a_tip_and_the_grades_are_ordered():
    assert set(TIPS) == {(m, g) for m in Mechanism for g in Grade}
    assert all(tip(m, g) for m, g in TIPS)
    assert GRADE_ORDER == [N, W, S]
    assert grade_best([N, S, W]) == S and grade_best([]) == N
