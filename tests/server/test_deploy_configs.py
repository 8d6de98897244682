"""The shipped reverse-proxy configs (docs/deploy/) never log a receipt secret: a receipt link,
``/receipt/<id>?k=<secret>``, is the signer's capability to withdraw, and a proxy's default access log
keeps the whole request line (and the Referer, the receipt page's URL) with the visitor's address."""

from __future__ import annotations

import re
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy"
SECRET_URIS = ["/receipt/0190c0de-0000-7000-8000-000000000001?k=SECRET-K&lang=de",
               "/api/v1/health?k=SECRET-K", "/receipt/0190c0de?lang=ar&k=SECRET-K"]

# nginx variables that hold a query string or a whole URL: $request (the request line), $request_uri,
# $args, $query_string, $arg_NAME, $is_args, and the Referer.
NGINX_LEAKS = re.compile(r"\$(request(?![_a-z])|request_uri|args|query_string|arg_\w+|is_args|http_referer)\b")


def _nginx_statements(text: str) -> list[str]:
    """Every directive as one string, comments dropped; a block's opening line counts as one."""
    text = re.sub(r"#[^\n]*", "", text)
    return [s.strip() for s in re.split(r"[;{}]", text) if s.strip()]


def nginx_problems(text: str) -> list[str]:
    statements = _nginx_statements(text)
    formats: dict[str, str] = {}
    maps: dict[str, str] = {}  # output variable -> the map's source and values
    for statement in statements:
        if statement.startswith("log_format "):
            _, name, body = statement.split(None, 2)
            formats[name] = body
    for found in re.finditer(r"map\s+(\$\w+)\s+(\$\w+)\s*\{([^}]*)\}", re.sub(r"#[^\n]*", "", text)):
        maps[found.group(2)] = found.group(1) + " " + found.group(3)
    problems = []
    for name, body in formats.items():
        for variable in re.findall(r"\$\w+", body):
            source = variable + " " + maps.get(variable, "")
            if NGINX_LEAKS.search(source):
                problems.append(f"log_format {name} logs {variable}")
    servers = re.split(r"\bserver\s*\{", re.sub(r"#[^\n]*", "", text))[1:]
    if not servers:
        problems.append("no server block")
    for n, server in enumerate(servers, 1):
        logs = [s for s in _nginx_statements(server) if s.startswith("access_log ")]
        if not logs:  # it would inherit the default access log, nginx's "combined" format
            problems.append(f"server block {n} sets no access_log of its own")
        for log in logs:
            words = log.split()
            if words[1:] != ["off"] and (len(words) < 3 or words[2] not in formats):
                problems.append(f"server block {n}: '{log}' uses a format with the query string")
    return problems


def _go_replacement(value: str) -> str:
    """Go's ReplaceAllString template (${1}, $1) as Python's (\\g<1>); an unmatched group is empty in both."""
    return re.sub(r"\$\{(\d+)\}|\$(\d+)", lambda m: rf"\g<{m.group(1) or m.group(2)}>", value)


def caddy_problems(text: str) -> list[str]:
    text = re.sub(r"(?m)^\s*#[^\n]*", "", text)
    if not re.search(r"(?m)^\s*log\b", text):
        return []  # Caddy writes no access log without a log directive
    problems = []
    uri = re.search(r"request>uri\s+(\w+)(?:\s+\"((?:[^\"\\]|\\.)*)\"\s+\"((?:[^\"\\]|\\.)*)\")?", text)
    if uri is None:
        problems.append("a log without a filter on request>uri")
    elif uri.group(1) == "regexp":
        pattern = uri.group(2).replace("\\\"", "\"")  # Caddy unescapes only quotes
        for sample in SECRET_URIS:
            logged = re.sub(pattern, _go_replacement(uri.group(3)), sample)
            if "SECRET" in logged or "?" in logged:
                problems.append(f"request>uri logged as {logged}")
    elif uri.group(1) != "delete":
        problems.append(f"request>uri filtered with {uri.group(1)}")
    if not re.search(r"request>headers>Referer\s+delete", text):
        problems.append("the Referer header (the receipt page's URL) is logged")
    return problems


def test_nginx_logs_no_query_string_or_referer() -> None:
    assert nginx_problems((DEPLOY / "nginx.conf").read_text(encoding="utf-8")) == []


def test_caddy_logs_no_query_string_or_referer() -> None:
    text = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert re.search(r"(?m)^\s*log\s*\{", text), "the Caddyfile keeps an access log, redacted"
    assert caddy_problems(text) == []


def test_the_checks_catch_a_logged_query_string() -> None:
    default_log = "server {\n listen 443 ssl;\n location / { proxy_pass http://127.0.0.1:8000; }\n}\n"
    assert nginx_problems(default_log) == ["server block 1 sets no access_log of its own"]
    combined = "server {\n access_log /var/log/nginx/access.log;\n}\n"
    assert nginx_problems(combined) and "combined" not in combined
    own_format = "log_format mine '$remote_addr \"$request\" $status';\nserver {\n access_log /x.log mine;\n}\n"
    assert nginx_problems(own_format) == ["log_format mine logs $request"]
    mapped = ("map $request_uri $p {\n default $request_uri;\n}\nlog_format m '$p';\n"
              "server {\n access_log /x.log m;\n}\n")
    assert nginx_problems(mapped) == ["log_format m logs $p"]
    assert nginx_problems("log_format ok '$request_method $uri $request_time';\nserver {\n access_log /x ok;\n}\n") == []
    assert caddy_problems("site {\n\tlog\n}\n") == ["a log without a filter on request>uri",
                                                    "the Referer header (the receipt page's URL) is logged"]
    leaky = 'site {\n\tlog {\n\t\tformat filter {\n\t\t\tfields {\n\t\t\t\trequest>uri regexp "^/receipt/" "/r/"\n'
    assert any("SECRET" in p for p in caddy_problems(leaky))
