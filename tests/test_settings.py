import os
import secrets
import subprocess
import sys


def run_manage(*args, env_overrides):
    local_only = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in local_only}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_secret_key_is_required_when_debug_is_off():
    result = run_manage("check", env_overrides={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_a_typo_in_a_boolean_setting_fails_loudly():
    result = run_manage("check", env_overrides={"DEBUG": "ture"})
    assert result.returncode != 0 and "is not a boolean" in result.stderr


def test_the_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides={
        "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "workshops.example.com"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
