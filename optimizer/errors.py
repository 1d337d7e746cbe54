"""Errors that end the processing of one file with exit code 2."""

from __future__ import annotations


class DoptError(Exception):
    """A clean, user-facing error: one line, with the file and line where known."""

    def __init__(self, message: str, line: int | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.path = path

    def with_path(self, path: str) -> DoptError:
        self.path = path
        return self

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class DockerfileSyntaxError(DoptError):
    """The file is not a Dockerfile that BuildKit's parser accepts."""


class InputError(DoptError):
    """The file cannot be read, decoded, or written."""


class ConfigError(DoptError):
    """Bad command-line options or configuration."""
