"""Locust users for the load benchmarks; bench/load/run.py starts locust with one or two of these classes.

Configuration comes from the environment (the runner sets it):
  LOAD_JOIN_PATH      /j/<token>/ of the open workshop (JoinParticipant)
  LOAD_TOKENS_FILE    JSON list of participant tokens prepared in the database (StatusPoller, StatusSaturation)
  LOAD_FACILITATOR    "username:password" of a facilitator of the workshop (MonitorFacilitator)
  LOAD_MONITOR_PATH   the monitor's live fragment, /f/workshops/<id>/monitor/live/
  LOAD_THINK_S        mean think time between a participant's pages (JoinParticipant)
  LOAD_DONE_FILE      where JoinParticipant writes each user's finish time (seconds since the test started)

Every request is made by hand, redirects included, so each step is timed and named on its own, and a 4xx or
5xx (or an unexpected redirect) counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant, constant_pacing, events, task
from locust.exception import StopUser

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEM = re.compile(r'name="(item_\d+)"')
MEMORY = re.compile(r'name="(memory_\d+)"')
VALUES = ["benevolence", "universalism", "self_direction"]
DOMAINS = ["amateur football", "choir", "baking bread", "hiking", "chess club", "caring for my father",
           "volunteering at the food bank", "jazz guitar", "swimming", "gardening", "pottery"]

_tokens = None
_next_token = itertools.count()
_started = time.monotonic()
_finished: list[float] = []
_ended: list[int] = []


def _token() -> str:
    global _tokens
    if _tokens is None:
        with open(os.environ["LOAD_TOKENS_FILE"]) as f:
            _tokens = json.load(f)
    return _tokens[next(_next_token) % len(_tokens)]


@events.test_start.add_listener
def _test_start(**_kwargs) -> None:
    global _started
    _started = time.monotonic()


@events.test_stop.add_listener
def _test_stop(**_kwargs) -> None:
    path = os.environ.get("LOAD_DONE_FILE")
    if path:
        with open(path, "w") as f:
            json.dump(sorted(_finished), f)


class _Browser(FastHttpUser):
    abstract = True
    extra_headers: dict[str, str] = {}

    def step(self, method: str, path: str, name: str, *, data: dict | None = None, expect: int = 200,
             redirect: str | None = None, stop: bool = True) -> tuple[str, str]:
        """One request; returns (body, Location). Anything but the expected status is a failure, which ends
        this user when `stop` (a participant cannot go on past a failed page)."""
        headers = dict(self.extra_headers)
        payload = None
        if data is not None:
            payload = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.request(method, path, name=name, data=payload, headers=headers, allow_redirects=False,
                                 catch_response=True) as response:
            body = response.text or ""
            location = response.headers.get("Location", "") if response.headers else ""
            problem = ""
            if response.status_code != expect:
                problem = f"{response.status_code} (expected {expect}) {location}"
            elif redirect and redirect not in location:
                problem = f"redirected to {location!r}, expected {redirect!r}"
            if problem:
                response.failure(problem)
                if stop:
                    raise StopUser()
            return body, location

    @staticmethod
    def csrf(body: str) -> str:
        found = CSRF.search(body)
        return found.group(1) if found else ""


class JoinParticipant(_Browser):
    """One employee on a phone: opens the join link, consents, answers every profile page, sees scenario 1."""

    wait_time = constant(0)

    def think(self) -> None:
        mean = float(os.environ.get("LOAD_THINK_S", "0.5"))
        if mean > 0:
            time.sleep(random.uniform(0, 2 * mean))

    @task
    def join_and_profile(self) -> None:
        try:
            self._join_and_profile()
        except StopUser:
            pass
        finally:
            _ended.append(1)
            if len(_ended) >= self.environment.parsed_options.num_users:  # everyone is through: end the test
                gevent.spawn_later(1, self.environment.runner.quit)
        while True:  # done: stay on the page (a user that stopped would be replaced by a new one)
            gevent.sleep(60)

    def _join_and_profile(self) -> None:
        """Raises StopUser at the first failed page; the caller counts the user as ended either way."""
        join_path = os.environ["LOAD_JOIN_PATH"]
        body, _ = self.step("GET", join_path, "join (page)")
        self.think()
        _, location = self.step("POST", join_path, "join (submit)", expect=302, data={
            "csrfmiddlewaretoken": self.csrf(body), "pseudonym": f"Load {random.randint(1, 10**6)}",
            "consent": "on"})
        _, location = self.step("GET", location, "home (redirect)", expect=302, redirect="/p/profile/")
        while True:
            _, location = self.step("GET", location, "profile (redirect)", expect=302)
            if "/personality/" in location:
                body, _ = self.step("GET", location, "personality (page)")
                self.think()
                answers = {name: str(random.randint(1, 5)) for name in dict.fromkeys(ITEM.findall(body))}
                _, location = self.step("POST", location, "personality (submit)", expect=302, redirect="/p/profile/",
                                        data={"csrfmiddlewaretoken": self.csrf(body), **answers})
            elif location.endswith("/values/"):
                body, _ = self.step("GET", location, "values (page)")
                self.think()
                _, location = self.step("POST", location, "values (submit)", expect=302, redirect="/p/profile/",
                                        data={"csrfmiddlewaretoken": self.csrf(body), "values": VALUES})
            elif location.endswith("/life/"):
                body, _ = self.step("GET", location, "life (page)")
                self.think()
                domains = ", ".join(random.sample(DOMAINS, 2))
                _, location = self.step("POST", location, "life (submit)", expect=302, redirect="/p/profile/",
                                        data={"csrfmiddlewaretoken": self.csrf(body), "domains": domains,
                                              "avoid": ""})
            elif location.endswith("/memories/"):
                body, _ = self.step("GET", location, "memories (page)")
                self.think()
                fields = list(dict.fromkeys(MEMORY.findall(body)))
                memories = {fields[0]: "When my team left me out of the final squad I felt I did not belong."}
                _, location = self.step("POST", location, "memories (submit)", expect=302, redirect="/p/s/1/",
                                        data={"csrfmiddlewaretoken": self.csrf(body), **memories})
                break
            else:
                return
        self.step("GET", location, "scenario 1 (page)")
        _finished.append(time.monotonic() - _started)


class StatusPoller(_Browser):
    """A participant's phone waiting for the analogy: the status JSON every 3 s, as static/js/live.js does."""

    wait_time = constant_pacing(3)

    def on_start(self) -> None:
        self.extra_headers = {"Cookie": f"ewt_participant={_token()}"}
        time.sleep(random.uniform(0, 3))  # phones do not poll in lockstep

    @task
    def poll(self) -> None:
        self.step("GET", "/p/s/1/status", "analogy status", stop=False)


class MonitorFacilitator(_Browser):
    """The facilitator's live monitor, refreshed every 2 s, in a signed-in session."""

    fixed_count = 1
    wait_time = constant_pacing(2)

    def on_start(self) -> None:
        username, password = os.environ["LOAD_FACILITATOR"].split(":", 1)
        body, _ = self.step("GET", "/accounts/login/", "login (page)")
        self.step("POST", "/accounts/login/", "login (submit)", expect=302, data={
            "csrfmiddlewaretoken": self.csrf(body), "username": username, "password": password})

    @task
    def refresh(self) -> None:
        self.step("GET", os.environ["LOAD_MONITOR_PATH"], "monitor (live part)", stop=False)


class StatusSaturation(_Browser):
    """Closed loop, no pause: as many status polls as the site answers (the scale-out measure)."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.extra_headers = {"Cookie": f"ewt_participant={_token()}"}

    @task
    def poll(self) -> None:
        self.step("GET", "/p/s/1/status", "analogy status", stop=False)

