"""The openai engine on the happy path: the real SDK over HTTP against tests/llm_server.py."""

from __future__ import annotations

import json

from workshop.engine import LLMConfig, ProfileSpec, generate, llm_test_connection
from workshop.engine.llm.analysis import analysis_key
from workshop.engine.llm.config import MemoryAnalysisCache
from workshop.engine.vocabulary import emotion_named

from .conftest import scenario

CHECK_NAMES = {"length", "emotions_carried", "no_target_label", "no_avoided_topic", "no_instruction_following",
               "readable_language", "own_text_only"}


def test_a_participant_gets_an_analogy_written_by_the_model(scenarios, profiles, llm, llm_server):
    llm_server.settings.latency_s = 0.05
    result = generate(scenario(scenarios, "lunch-without-priya"), profiles["maya"], engine="openai", llm=llm)
    assert result.engine == "openai" and result.fallback_reason is None
    assert "your amateur football" in result.text and result.source.kind == "domain"
    assert result.source.domain == "team_sport"
    assert len(result.mapping) >= 3 and result.emotions == ["loneliness", "hurt", "confusion"]
    assert set(result.checks) == CHECK_NAMES and all(result.checks.values())
    assert not any(emotion_named(result.text, label) for label in result.emotions)  # evoked, never named
    assert result.usage.tokens_in > 1000 and result.usage.tokens_out > 100
    assert result.usage.latency_ms >= 100  # the analysis call and the analogy call, 50 ms each


def test_the_builtin_and_openai_engines_report_the_same_check_names(scenarios, profiles, llm):
    spec = scenarios[0]
    assert set(generate(spec, profiles["tomas"], engine="openai", llm=llm).checks) == set(
        generate(spec, profiles["tomas"]).checks)


def test_cached_tokens_come_from_the_server_for_a_repeated_prefix(scenarios, profiles, llm):
    spec = scenario(scenarios, "lunch-without-priya")
    first = generate(spec, profiles["maya"], engine="openai", llm=llm)
    second = generate(spec, profiles["tomas"], engine="openai", llm=llm)
    assert first.usage.cached_tokens == 0
    assert second.usage.cached_tokens > 0 and second.usage.tokens_in < first.usage.tokens_in


def test_cached_tokens_are_zero_when_the_server_does_not_report_them(scenarios, profiles, llm, llm_server):
    llm_server.settings.report_cached = False
    generate(scenarios[0], profiles["maya"], engine="openai", llm=llm)
    result = generate(scenarios[0], profiles["tomas"], engine="openai", llm=llm)
    assert result.engine == "openai" and result.usage.cached_tokens == 0


def test_the_static_system_prompt_comes_first_and_participant_data_last(scenarios, profiles, llm, llm_server):
    generate(scenario(scenarios, "lunch-without-priya"), profiles["maya"], engine="openai", llm=llm)
    (request,) = llm_server.chat_requests("analogy")
    assert request.body["response_format"] == {"type": "json_object"}
    system, user = request.messages
    assert system["role"] == "system" and "never an instruction" in system["content"]
    assert "JSON schema" in system["content"] and '"loneliness"' in system["content"]
    assert "football" not in system["content"] and "Priya" not in system["content"]
    content = user["content"]
    assert content.index("<scenario>") < content.index("</scenario>") < content.index("<participant_data>")
    assert content.endswith("</participant_data>")
    data = content[content.index("<participant_data>") + len("<participant_data>"):-len("</participant_data>")]
    assert json.loads(data)["life_domains"] == ["amateur football"]
    assert content.count("football") == data.count("football")


def test_every_participant_shares_the_same_static_prefix(scenarios, profiles, llm, llm_server):
    spec = scenario(scenarios, "the-repeated-idea")
    for name in ("maya", "tomas", "student", "injector"):
        generate(spec, profiles[name], engine="openai", llm=llm)
    requests = llm_server.chat_requests("analogy")
    assert len(requests) == 4
    assert len({r.messages[0]["content"].encode() for r in requests}) == 1
    scenario_parts = {r.messages[1]["content"].split("<participant_data>")[0] for r in requests}
    assert len(scenario_parts) == 1
    other = generate(scenario(scenarios, "torn-at-four"), profiles["maya"], engine="openai", llm=llm)
    assert other.engine == "openai"
    assert llm_server.chat_requests("analogy")[-1].messages[0] == requests[0].messages[0]


def test_generic_mode_sends_nothing_about_the_participant(scenarios, llm, llm_server):
    profile = ProfileSpec(name="Quenby", domains=["zorbing club"], values=["hedonism"], avoid=["marzipan"],
                          experiences=[{"text": "My zorbing captain skipped me at the Kraków regatta."}])
    result = generate(scenarios[0], profile, engine="openai", mode="generic", llm=llm)
    assert result.engine == "openai" and result.mode == "generic" and result.source.kind == "universal"
    sent = json.dumps([r.body for r in llm_server.chat_requests()], ensure_ascii=False).lower()
    for word in ("quenby", "zorbing", "kraków", "regatta", "marzipan", "hedonism"):
        assert word not in sent, word
    assert all("<participant_data>" not in r.messages[-1]["content"] for r in llm_server.chat_requests())


def test_the_scenario_is_analysed_once_for_many_participants(scenarios, profiles, llm, llm_server):
    spec = scenario(scenarios, "lunch-without-priya")
    for profile in profiles.values():
        assert generate(spec, profile, engine="openai", llm=llm).engine == "openai"
    assert len(llm_server.chat_requests("analysis")) == 1
    assert len(llm_server.chat_requests("analogy")) == len(profiles)
    assert llm.analysis_cache.get(analysis_key(spec, "fake-model"))["relational_themes"] == ["exclusion"]


def test_the_analysis_cache_key_holds_the_slug_the_content_and_the_model(scenarios):
    spec = scenarios[0]
    edited = spec.model_copy(update={"narrative": spec.narrative + " Then it happened again."})
    keys = {analysis_key(spec, "a"), analysis_key(spec, "b"), analysis_key(edited, "a")}
    assert len(keys) == 3 and all(spec.slug in k for k in keys)


def test_a_shared_analysis_cache_saves_the_call_for_another_config(scenarios, profiles, llm, llm_server):
    generate(scenarios[0], profiles["maya"], engine="openai", llm=llm)
    same_model = llm.model_copy(update={"timeout_s": 3})
    generate(scenarios[0], profiles["tomas"], engine="openai", llm=same_model)
    other_model = LLMConfig(base_url=llm_server.base_url, model="other", analysis_cache=llm.analysis_cache)
    generate(scenarios[0], profiles["tomas"], engine="openai", llm=other_model)
    assert len(llm_server.chat_requests("analysis")) == 2


def test_the_limiter_is_asked_once_for_every_request(scenarios, profiles, llm, llm_server):
    class Recorder:
        def __init__(self) -> None:
            self.asked: list[int] = []

        def acquire(self, tokens: int) -> None:
            self.asked.append(tokens)

    limiter = Recorder()
    limited = llm.model_copy(update={"limiter": limiter})
    llm_server.push("status_500", target="analogy")
    generate(scenarios[0], profiles["maya"], engine="openai", llm=limited)
    assert len(limiter.asked) == len(llm_server.chat_requests()) == 3
    expected = [sum(len(m["content"]) for m in r.messages) // 4 + r.body["max_tokens"]
                for r in llm_server.chat_requests()]
    assert limiter.asked == expected


def test_the_config_never_dumps_its_hooks_and_keeps_the_timeout_under_the_task_limit():
    config = LLMConfig(model="m", limiter=None, analysis_cache=MemoryAnalysisCache())
    assert "analysis_cache" not in config.model_dump() and "limiter" not in config.model_dump_json()
    assert config.sdk_api_key == "not-needed" and "api_key" not in repr(config)
    for bad in ({"timeout_s": 120}, {"limiter": object()}, {"analysis_cache": {}}):
        try:
            LLMConfig(model="m", **bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")


def test_the_connection_test_says_ok_for_a_live_server(llm, llm_server):
    ok, message = llm_test_connection(llm)
    assert ok and "fake-model" in message and "\n" not in message
    assert len(llm_server.chat_requests()) == 1


def test_the_connection_test_reports_a_port_with_nothing_listening():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    ok, message = llm_test_connection(LLMConfig(base_url=f"http://127.0.0.1:{port}/v1", model="m", timeout_s=1))
    assert not ok and message.startswith("openai: connection error") and "\n" not in message
