"""``autograd-tutor check`` on a parameterised lesson: every variant runs, and a problem found
in one names it (file:line, the variant, the expression, both values)."""

from __future__ import annotations

import textwrap

from cli_runner import run_main

LESSON = textwrap.dedent(
    """\
    id: cube
    title: Cube
    params:
      a: {choice: [2, 4]}
      b: {choice: [1, -1]}
    steps:
      - explain: "x = {a}"
        code: |
          x = torch.tensor({a}.0, requires_grad=True)
          y = b * x ** 3
          y.backward()
        ask:
          - expr: x.grad
            expect: EXPECT
            wrong:
              - answer: WRONG
                says: "not that"
    """
)


def test_every_variant_is_checked(worker, write_lesson) -> None:
    path = write_lesson(LESSON.replace("EXPECT", "3 * b * a ** 2").replace("WRONG", "b * a ** 3"))
    done = run_main(["check", str(path)], worker=worker)
    assert done.returncode == 0, done.stdout
    assert "1 question, 4 expectations, 4 variants" in done.stdout


def test_a_wrong_expect_names_the_variant_it_fails_for(worker, write_lesson) -> None:
    # 12 * b is right for a=2 only; the "wrong" answer 48 * b is torch's value for a=4
    path = write_lesson(LESSON.replace("EXPECT", "12 * b").replace("WRONG", "48 * b"))
    done = run_main(["check", str(path)], worker=worker)
    assert done.returncode != 0
    lines = [line.strip() for line in done.stdout.splitlines()]
    expects = [line for line in lines if ": expect " in line]
    assert len(expects) == 2
    assert expects[0].startswith(f"{path}:14: with a=4, b=1: x.grad: expect 12, torch gives")
    assert expects[1].startswith(f"{path}:14: with a=4, b=-1: x.grad: expect -12, torch gives")
    assert "torch gives" in expects[0] and "48" in expects[0]
    assert f"{path}:16: with a=4, b=1: x.grad: the known wrong answer 48 is what torch gives" in (
        lines
    )
    assert not any("with a=2" in line for line in lines)  # the default variant: no prefix
