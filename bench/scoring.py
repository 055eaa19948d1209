"""Benchmark: scoring the default question set (run: .venv/bin/python bench/scoring.py).

Prints the median time of one scoring run and per question, for an all-worst answer set (the
most weaknesses: the heaviest case) and a mixed one, next to a baseline measured in the same run
(parsing the same answers), since these machines are noisy.
"""

from __future__ import annotations

import statistics
import time

from assessment import paths
from assessment.questionset import load_question_set
from assessment.scoring import parse_answers, result_to_json, score
from assessment.scoring.samples import sample_answers
from assessment.services.answers import storable


def median_seconds(fn, repeat: int = 200) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    path = paths.questionnaires_dir() / "port-cyber-baseline.yaml"
    question_set = load_question_set(path.read_bytes(), path.name)
    questions = list(question_set.questions())
    worst = {q: storable(a) for q, a in sample_answers(question_set, "worst").items()}
    mixed = {q: storable(a) for q, a in sample_answers(question_set, "mixed").items()}
    for name, raw in (("all-worst", worst), ("mixed", mixed)):
        answers = parse_answers(question_set, raw)
        parse = median_seconds(lambda raw=raw: parse_answers(question_set, raw))
        scoring = median_seconds(lambda answers=answers: score(question_set, answers))
        export = median_seconds(
            lambda answers=answers: result_to_json(score(question_set, answers))
        )
        print(
            f"{name:9s}: score {scoring * 1e3:6.2f} ms "
            f"({scoring / len(questions) * 1e6:5.1f} us per question, {len(questions)} "
            f"questions); score+JSON {export * 1e3:6.2f} ms; baseline parse answers "
            f"{parse * 1e3:6.2f} ms; score/parse {scoring / parse:4.1f}x"
        )


if __name__ == "__main__":
    main()
