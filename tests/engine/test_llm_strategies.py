"""The LLM writes by the strategy the loop chose: the prompt asks for that source and scene in plain words, a reply
from another source is repaired once and else kept under the strategy it was written by, and when the LLM fails
the built-in engine writes by the same source and scene."""

from __future__ import annotations

import json

from tests.llm_server import blocks
from workshop.engine import eligible_strategies, generate
from workshop.engine.llm import builtin_strategy, llm_eligible_strategies
from workshop.engine.llm.strategy import llm_strategy

from .conftest import scenario


def task_line(request) -> str:
    user = next(m["content"] for m in request.messages if m["role"] == "user" and "<task>" in m["content"])
    return user[user.index("<task>"):user.index("</task>")]


def test_every_llm_strategy_is_a_built_in_one_framed_llm_and_a_separate_arm(scenarios, profiles):
    spec = scenario(scenarios, "the-rota")
    builtin = eligible_strategies(spec, profiles["tomas"])
    llm = llm_eligible_strategies(spec, profiles["tomas"])
    assert llm == [llm_strategy(name) for name in builtin] and len(llm) == 6
    assert all(name.split(":")[2] == "llm" and len(name.split(":")) == 4 for name in llm)
    assert not set(llm) & set(builtin)
    assert [builtin_strategy(name) for name in llm] == builtin


def test_the_prompt_names_the_chosen_domains_and_scene_and_the_analogy_names_its_strategy(scenarios, profiles, llm,
                                                                                           llm_server):
    spec = scenario(scenarios, "the-rota")
    for strategy in llm_eligible_strategies(spec, profiles["tomas"]):
        result = generate(spec, profiles["tomas"], engine="openai", llm=llm, strategy=strategy)
        assert result.engine == "openai" and result.fallback_reason is None
        assert result.strategy == strategy
        request = llm_server.chat_requests("analogy")[-1]
        task = task_line(request)
        kind, family, _, audience = strategy.split(":")
        if family == "faith":
            assert '["church choir"]' in task and "sourdough" not in task
        elif family == "cooking_food":
            assert '["sourdough baking"]' in task and "choir" not in task
        else:
            assert "universal situation" in task and "choir" not in task and "sourdough" not in task
        assert f'source.kind must be "{kind}"' in task
        assert ("one-to-one scene" in task) == (audience == "one_to_one")
        assert ("group scene" in task) == (audience == "group")
        # The participant's data still comes last (prompt-prefix caching), and it is the whole profile.
        assert request.messages[-1]["content"].rstrip().endswith("</participant_data>")
        assert blocks(request.messages)["participant_data"]["life_domains"] == ["church choir", "sourdough baking"]


def test_a_reply_from_another_source_is_repaired_once(scenarios, profiles, llm, llm_server):
    spec = scenario(scenarios, "the-rota")
    llm_server.push("ignore_source", target="analogy")  # the model writes from the choir anyway, once
    result = generate(spec, profiles["tomas"], engine="openai", llm=llm, strategy="universal:none:llm:group")
    first, repair = llm_server.chat_requests("analogy")
    assert json.loads(first_reply(first, repair))["source"]["kind"] == "domain"
    assert "source.kind is domain but the task asked for universal" in repair.messages[-1]["content"]
    assert result.engine == "openai" and result.strategy == "universal:none:llm:group"
    assert result.source.kind == "universal" and "choir" not in result.text


def first_reply(first, repair) -> str:
    assert repair.messages[: len(first.messages)] == first.messages
    return repair.messages[len(first.messages)]["content"]


def test_a_model_that_keeps_its_own_source_is_kept_under_the_strategy_it_wrote_by(scenarios, profiles, llm,
                                                                                  llm_server):
    spec = scenario(scenarios, "the-rota")
    llm_server.push("ignore_source", "ignore_source", target="analogy")
    result = generate(spec, profiles["tomas"], engine="openai", llm=llm, strategy="universal:none:llm:one_to_one")
    assert len(llm_server.chat_requests("analogy")) == 2
    assert result.engine == "openai" and result.fallback_reason is None  # a sound analogy is not thrown away
    assert result.strategy == "domain:faith:llm:one_to_one" and "choir" in result.text


def test_when_the_llm_fails_the_built_in_engine_writes_by_the_same_source_and_scene(scenarios, profiles, llm,
                                                                                    llm_server):
    spec = scenario(scenarios, "the-rota")
    for strategy in ("domain:cooking_food:llm:one_to_one", "universal:none:llm:group"):
        llm_server.push("garbage", "garbage", target="analogy")
        result = generate(spec, profiles["tomas"], engine="openai", llm=llm, strategy=strategy)
        assert result.engine == "builtin" and "output_json" in result.fallback_reason
        assert result.strategy == builtin_strategy(strategy)
        assert result.strategy in eligible_strategies(spec, profiles["tomas"])


def test_an_own_memory_that_fits_is_the_one_llm_strategy_and_the_model_is_told_to_retell_it(scenarios, profiles,
                                                                                             llm, llm_server):
    spec = scenario(scenarios, "lunch-without-priya")
    [strategy] = llm_eligible_strategies(spec, profiles["maya"])
    assert strategy.startswith("own_experience:") and strategy.split(":")[2] == "llm"
    result = generate(spec, profiles["maya"], engine="openai", llm=llm, strategy=strategy)
    task = task_line(llm_server.chat_requests("analogy")[-1])
    assert "own memory number 1 of participant_data.memories" in task
    assert 'source.kind must be "own_experience"' in task
    assert result.engine == "openai" and result.strategy == strategy


def test_without_a_chosen_strategy_the_model_picks_and_the_name_has_four_parts(scenarios, profiles, llm, llm_server):
    result = generate(scenario(scenarios, "the-rota"), profiles["tomas"], engine="openai", llm=llm)
    assert result.strategy == "domain:faith:llm:mixed"  # the fake reports no scene
    assert "Source:" not in task_line(llm_server.chat_requests("analogy")[-1])
