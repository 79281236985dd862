"""The `analogize` command's core, testable without Django: run(argv) -> (exit_code, stdout, stderr)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from . import LLMConfig, generate
from .models import EngineInputError, parse_profile, parse_scenario

RESULT_FIELDS = ("engine", "mode", "title", "text", "source", "mapping", "emotions", "bridge", "checks",
                 "usage", "fallback_reason", "structure", "strategy")
MAX_FILE_BYTES = 1_000_000


class _ArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and exit; we want one line
        raise _ArgumentError(message)


def build_parser(prog: str = "analogize") -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="Generate one analogy for a scenario and a profile.")
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", required=True, help="scenario file (JSON or YAML)")
    parser.add_argument("--profile", required=True, help="profile file (JSON or YAML)")
    parser.add_argument("--engine", default="builtin", choices=["builtin", "openai"])
    parser.add_argument("--generic", action="store_true", help="the same non-personalized analogy for all")


def load_file(path: str, what: str) -> Any:
    """Read a JSON or YAML file; errors name the file's role (scenario/profile)."""
    file = Path(path)
    if not file.is_file():
        raise EngineInputError(f"{what}: file not found: {path}")
    if file.stat().st_size > MAX_FILE_BYTES:
        raise EngineInputError(f"{what}: file is larger than {MAX_FILE_BYTES} bytes")
    try:
        raw = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise EngineInputError(f"{what}: file is not UTF-8 text") from None
    try:
        if file.suffix.lower() == ".json":
            data = json.loads(raw)
        else:
            data = yaml.safe_load(raw)
    except json.JSONDecodeError as exc:
        raise EngineInputError(f"{what}: malformed JSON at line {exc.lineno}: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise EngineInputError(f"{what}: malformed YAML{where}") from None
    if not isinstance(data, dict):
        raise EngineInputError(f"{what}: expected an object with fields, got {type(data).__name__}")
    return data


def execute(scenario_path: str, profile_path: str, *, engine: str = "builtin",
            generic: bool = False) -> tuple[int, str, str]:
    try:
        scenario = parse_scenario(load_file(scenario_path, "scenario"))
        profile = parse_profile(load_file(profile_path, "profile"))
    except EngineInputError as exc:
        return 2, "", f"error: {_one_line(str(exc))}\n"
    llm = LLMConfig.from_env() if engine == "openai" else None
    if engine == "openai" and llm is None:
        return 1, "", "error: engine: openai needs OPENAI_API_KEY or OPENAI_BASE_URL (and OPENAI_MODEL)\n"
    try:
        result = generate(scenario, profile, engine=engine, mode="generic" if generic else "personalized", llm=llm)
    except EngineInputError as exc:
        return 2, "", f"error: {_one_line(str(exc))}\n"
    payload = result.model_dump(mode="json", include=set(RESULT_FIELDS))
    return 0, json.dumps(payload, ensure_ascii=False, indent=2) + "\n", ""


def run(argv: list[str]) -> tuple[int, str, str]:
    try:
        args = build_parser().parse_args(argv)
    except _ArgumentError as exc:
        return 2, "", f"error: {_one_line(str(exc))}\n"
    return execute(args.scenario, args.profile, engine=args.engine, generic=args.generic)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def main() -> None:
    code, out, err = run(sys.argv[1:])
    sys.stdout.write(out)
    sys.stderr.write(err)
    sys.exit(code)


if __name__ == "__main__":
    main()
