"""A missing Chromium fails the browser tests unless the developer skips them knowingly."""

import pytest
from conftest import _NO_BROWSER_MARK, SKIP_BROWSER, _unavailable


@pytest.mark.parametrize("ci, skip", [("true", None), ("true", "1"), (None, None), (None, "0")])
def test_a_missing_browser_is_a_failure(monkeypatch, ci, skip):
    for name, value in (("CI", ci), (SKIP_BROWSER, skip)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(pytest.fail.Exception, match="no Chromium at /nowhere"):
        _unavailable("no Chromium at /nowhere")


def test_skipped_only_when_asked_and_counted_apart(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv(SKIP_BROWSER, "1")
    with pytest.raises(pytest.skip.Exception) as skipped:
        _unavailable("no Chromium at /nowhere")
    # the mark is what the summary line counts the skip under ("N skipped without Chromium")
    assert str(skipped.value).startswith(_NO_BROWSER_MARK)
