"""The scheduled-build examples in deploy/ parse and run the publish command at 05:00 Oslo."""

from __future__ import annotations

import configparser
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def test_the_systemd_timer_starts_the_publish_service_at_five_in_oslo():
    timer, service = unit("kommunepartner-publish.timer"), unit("kommunepartner-publish.service")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 05:00:00 Europe/Oslo"
    assert timer["Timer"]["Persistent"] == "true"
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"].endswith("tasks.py publish --to /var/www/kommunepartner")


def test_github_actions_publishes_on_push_to_main_and_nightly():
    flow = yaml.safe_load((DEPLOY / "ci" / "github-actions.yml").read_text())
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert {c["cron"] for c in triggers["schedule"]} == {"0 3 * * *", "0 4 * * *"}
    steps = flow["jobs"]["publish"]["steps"]
    assert 'TZ=Europe/Oslo date +%H)" = 05' in steps[0]["run"]
    assert "./tasks.py publish --to site:" in steps[-1]["run"]


def test_gitlab_ci_publishes_on_push_and_schedule():
    job = yaml.safe_load((DEPLOY / "ci" / "gitlab-ci.yml").read_text())["publish"]
    assert "schedule" in job["rules"][0]["if"] and "push" in job["rules"][0]["if"]
    assert any(line.startswith("./tasks.py publish --to site:") for line in job["script"])
