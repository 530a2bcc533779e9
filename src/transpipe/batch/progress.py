"""Progress of a batch job on stderr: a bar on a terminal, plain lines otherwise, or nothing.

Owns what the user sees while a job runs. Counts are articles and sentences, including
those finished by earlier runs of the same job; the rate and the ETA count only this run's
work. On a terminal a ``tqdm`` bar (sentences, with the articles beside it); elsewhere (a
log file, CI) one line at most every ``interval`` seconds and one at the end; ``quiet``
prints no progress (errors are still printed).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO


class Progress:
    """Counts finished articles and sentences and shows them (see the module docstring)."""

    def __init__(
        self,
        *,
        articles: int,
        sentences: int,
        done_articles: int = 0,
        done_sentences: int = 0,
        quiet: bool = False,
        stream: TextIO | None = None,
        interval: float = 5.0,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.articles = articles
        self.sentences = sentences
        self.done_articles = done_articles
        self.done_sentences = done_sentences
        self.quiet = quiet
        self.interval = interval
        self._started = time.monotonic()
        self._sentences_at_start = done_sentences
        self._last_line = 0.0
        self._shown = -1  # articles done when the last line was printed
        self._bar: Any = None
        if not quiet and _is_terminal(self.stream):
            from tqdm import tqdm

            sized = _columns(self.stream) > 0  # a terminal that does not say its size: 80x24
            self._bar = tqdm(
                total=sentences,
                initial=done_sentences,
                unit=" sentences",
                file=self.stream,
                dynamic_ncols=sized,
                ncols=None if sized else 80,
                nrows=None if sized else 24,
            )
            self._bar.set_postfix_str(self._articles_text(), refresh=False)

    def advance(self, *, articles: int, sentences: int) -> None:
        """``articles`` more articles (of ``sentences`` sentences) are finished."""
        self.done_articles += articles
        self.done_sentences += sentences
        if self._bar is not None:
            self._bar.set_postfix_str(self._articles_text(), refresh=False)
            self._bar.update(sentences)
        elif not self.quiet and time.monotonic() - self._last_line >= self.interval:
            self._line()

    def note(self, message: str) -> None:
        """Print a line (an error, say) without breaking the bar."""
        if self._bar is not None:
            self._bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif not self.quiet and self._shown != self.done_articles:
            self._line()

    def _articles_text(self) -> str:
        return f"{self.done_articles}/{self.articles} articles"

    def _line(self) -> None:
        self._last_line = time.monotonic()
        self._shown = self.done_articles
        elapsed = self._last_line - self._started
        new = self.done_sentences - self._sentences_at_start
        rate = new / elapsed if elapsed > 0 else 0.0
        left = self.sentences - self.done_sentences
        eta = f", ETA {_duration(left / rate)}" if rate > 0 and left > 0 else ""
        print(
            f"batch: {self._articles_text()}, "
            f"{self.done_sentences}/{self.sentences} sentences, "
            f"{rate:.1f} sentences/s{eta}",
            file=self.stream,
            flush=True,
        )


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _columns(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 0


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
