"""What the learner reads during a session: the question, then right or wrong and why.

Bank text is printed escaped: prompts such as `[h_{t-1}, x_t]` are not rich markup.
"""

from rich.console import Console
from rich.markup import escape

from course.quiz.asking.kinds import MultipleChoice, Open, Question, Verdict


def show_question(console: Console, question: Question, number: int, total: int) -> None:
    """The question's header (its place in the session and its topic) and prompt."""
    console.print()
    console.rule(f"Question {number}/{total} · {escape(question.topic)}", align="left")
    console.print(f"[bold]{escape(question.prompt)}[/]")
    if isinstance(question, MultipleChoice):
        console.print("[dim]Select all that apply.[/]")
    if isinstance(question, Open):
        console.print("[dim]Answer in your own words, then grade yourself.[/]")


def show_model_answer(console: Console, question: Open) -> None:
    """The model answer and the key points to grade an open answer against."""
    console.print(f"[cyan]Model answer:[/] {escape(question.model_answer)}")
    console.print("[cyan]Key points:[/]")
    for point in question.key_points:
        console.print(f"  • {escape(point)}")


def show_verdict(console: Console, question: Question, verdict: Verdict) -> None:
    """Right or wrong, the correct answer when missed and why, the explanation, the notes."""
    if isinstance(question, Open):
        console.print(f"Graded: [bold]{verdict.grade.name.lower()}[/]")
    elif verdict.correct:
        console.print(f"[bold green]✓ Right.[/] {escape(verdict.expected)}")
    else:
        console.print(
            f"[bold red]✗ Wrong.[/] You answered: {escape(verdict.given)}\n"
            f"  Correct answer: [bold]{escape(verdict.expected)}[/]"
        )
        if verdict.note:
            console.print(f"  {escape(verdict.note)}")
    console.print(f"[dim]{escape(question.explanation)}[/]")
    console.print(f"[dim]Notes: {escape(question.section)}[/]")
