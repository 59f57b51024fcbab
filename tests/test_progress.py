"""The progress display: only on a terminal stderr, only after a second, never in the report."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from ddblint import progress
from ddblint.cli import main
from ddblint.progress import Progress, TerminalProgress, progress_for
from tests.conftest import FIXTURES


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_short_run_draws_nothing() -> None:
    stream, clock = FakeTerminal(), Clock()
    shown = TerminalProgress(stream, clock)
    shown.discovered(10)
    shown.parsing(5)
    clock.now += 0.9
    shown.parsed(5)
    shown.close()
    assert stream.getvalue() == ""


def test_a_long_run_draws_its_counts_then_goes_away() -> None:
    stream, clock = FakeTerminal(), Clock()
    shown = TerminalProgress(stream, clock)
    shown.discovered(1000)
    shown.parsing(40)
    shown.parsed(3)
    clock.now += 1.5
    shown.parsed(9)
    assert shown.showing
    drawn = stream.getvalue()
    assert "modules discovered" in drawn and "files parsed" in drawn and "12/40" in drawn
    shown.close()
    assert not shown.showing


@pytest.mark.parametrize(("stream", "quiet"), [(io.StringIO(), False), (FakeTerminal(), True)])
def test_a_pipe_or_quiet_gets_no_display(stream: io.StringIO, quiet: bool) -> None:
    assert type(progress_for(stream, quiet)) is Progress


def test_the_report_on_stdout_never_holds_the_display(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)
    monkeypatch.setattr(progress, "REDRAW_EVERY", 0.0)
    monkeypatch.setattr(sys, "stderr", terminal)
    with pytest.raises(SystemExit):
        main([str(FIXTURES / "example"), "--format", "concise", "--no-cache"])
    out = capsys.readouterr().out
    assert "files parsed" in terminal.getvalue()
    assert "DDB001" in out and "files parsed" not in out and "modules discovered" not in out


def test_without_a_terminal_the_display_is_never_imported() -> None:
    script = (
        "import sys\n"
        "from ddblint.cli import main\n"
        "try:\n"
        f"    main([{str(FIXTURES / 'example')!r}, '--format', 'concise', '--no-cache'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('imported' if 'rich.progress' in sys.modules else 'not imported')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1] == "not imported"
    assert "files parsed" not in done.stderr
