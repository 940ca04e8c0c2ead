"""Gradescope's documented results.json fields, as the autograder specification lists them.

Top level: score (number; needed unless every test has one), execution_time (seconds),
output, output_format, test_output_format, test_name_format, visibility,
stdout_visibility, extra_data, tests, leaderboard. A test: score, max_score, status
("passed" or "failed"), name, name_format, number, output, output_format, tags,
visibility, extra_data. Visibility: "hidden", "after_due_date", "after_published" or
"visible"; formats: "text", "html", "simple_format", "md", "ansi".
"""

TOP_LEVEL = {
    "score": (int, float),
    "execution_time": (int, float),
    "output": str,
    "output_format": str,
    "test_output_format": str,
    "test_name_format": str,
    "visibility": str,
    "stdout_visibility": str,
    "extra_data": dict,
    "tests": list,
    "leaderboard": list,
}
TEST = {
    "score": (int, float),
    "max_score": (int, float),
    "status": str,
    "name": str,
    "name_format": str,
    "number": str,
    "output": str,
    "output_format": str,
    "tags": list,
    "visibility": str,
    "extra_data": dict,
}
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}


def expect_gradescope_results(payload: dict) -> None:
    """Assert that `payload` uses only documented fields, each of its documented type and values."""
    _expect_fields(payload, TOP_LEVEL, "results.json")
    assert "score" in payload or all("score" in test for test in payload["tests"])
    for key in ("visibility", "stdout_visibility"):
        assert payload.get(key, "visible") in VISIBILITIES, key
    for key in ("output_format", "test_output_format", "test_name_format"):
        assert payload.get(key, "text") in FORMATS, key
    for test in payload.get("tests", []):
        _expect_fields(test, TEST, f"test {test.get('number')}")
        assert test.get("visibility", "visible") in VISIBILITIES
        assert test.get("status", "passed") in ("passed", "failed")
        for key in ("output_format", "name_format"):
            assert test.get(key, "text") in FORMATS, key
        assert 0 <= test["score"] <= test["max_score"]
    if "score" in payload and payload.get("tests"):
        assert payload["score"] == sum(test["score"] for test in payload["tests"])


def _expect_fields(entry: dict, fields: dict, where: str) -> None:
    unknown = set(entry) - set(fields)
    assert not unknown, f"{where}: fields Gradescope does not document: {sorted(unknown)}"
    for key, kind in fields.items():
        if key in entry:
            assert isinstance(entry[key], kind), f"{where}: {key} is {type(entry[key]).__name__}"
            assert not isinstance(entry[key], bool), f"{where}: {key} is a bool"
