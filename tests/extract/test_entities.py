"""Entity extraction: text in, (text, type) pairs out, on sentences in the style of AI news."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.extract.extractor import extract_text


def entities(nlp: Language, text: str) -> set[tuple[str, str]]:
    result = extract_text(nlp, text)
    types = {e.id: e.type for e in result.entities}
    return {(m.text, types[m.entity]) for m in result.mentions}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The statistical NER alone calls Wan 2.2 and Zhipu AI people and Alibaba a place.
        (
            "In the past week, Alibaba launched Wan 2.2, an open-source video generation model. "
            "Another player, Zhipu AI, introduced GLM-4.5.",
            {("Alibaba", "Organization"), ("Wan 2.2", "Model"), ("Zhipu AI", "Organization"), ("GLM-4.5", "Model")},
        ),
        ("OpenAI is expected to release GPT-5 soon.", {("OpenAI", "Organization"), ("GPT-5", "Model")}),
        (
            "Andrew Ng, co-founder of DeepLearning.AI, spoke in China.",
            {("Andrew Ng", "Person"), ("DeepLearning.AI", "Organization"), ("China", "Place")},
        ),
        ("DeepSeek's R1 tripled its user base.", {("DeepSeek", "Organization"), ("R1", "Model")}),
        ("Moonshot AI open-sourced Kimi K2 in July.", {("Moonshot AI", "Organization"), ("Kimi K2", "Model")}),
        (
            "The startup Nimbara AI unveiled Corvid-3, a reasoning model.",
            {("Nimbara AI", "Organization"), ("Corvid-3", "Model")},
        ),
    ],
)
def test_entities(nlp: Language, text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= entities(nlp, text)


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        ("The model uses a Mixture-of-Experts (MoE) design and beats GPT-4 on MMLU.", {("MoE", "Organization"), ("MMLU", "Organization"), ("MMLU", "Person")}),
        ("Claude Shannon founded information theory.", {("Claude", "Model")}),
        # hardware and number formats look like model names but are not
        ("The new model was trained on H100 GPUs in FP8 and served on MI300X chips.", {("H100", "Model"), ("FP8", "Model"), ("MI300X", "Model")}),
        ("The GPT models run on PyTorch and MLX.", {("GPT", "Organization"), ("PyTorch", "Organization"), ("MLX", "Organization")}),
    ],
)
def test_no_false_entities(nlp: Language, text: str, unwanted: set[tuple[str, str]]) -> None:
    assert not (unwanted & entities(nlp, text))


def test_markdown_emphasis_does_not_hurt(nlp: Language) -> None:
    plain = entities(nlp, "Zhipu AI released GLM-4.5 on Monday.")
    bold = extract_text(nlp, "**Zhipu AI** released **GLM-4.5** on Monday.")
    types = {e.id: e.type for e in bold.entities}
    assert {(m.text, types[m.entity]) for m in bold.mentions} == plain


def test_mentions_are_offsets_into_article_text(nlp: Language) -> None:
    result = extract_text(nlp, "Meta Platforms said Llama 4 is coming. Meta's Llama series grew.")
    for mention in result.mentions:
        assert result.article.text[mention.start : mention.end] == mention.text


def test_aliases_and_surnames_join_the_full_entity(nlp: Language) -> None:
    result = extract_text(
        nlp,
        "Facebook's parent company, Meta Platforms, cut back. Meta declined to comment. "
        "Mark Zuckerberg spoke first. Later, Zuckerberg added details.",
    )
    by_id = {e.id: e for e in result.entities}
    assert by_id["org:meta"].name == "Meta"
    assert {"Meta Platforms", "Facebook's parent company"} <= set(by_id["org:meta"].aliases)
    assert "Zuckerberg" in by_id["person:mark-zuckerberg"].aliases
    assert "person:zuckerberg" not in by_id


def test_entity_ids_are_stable_across_runs(nlp: Language) -> None:
    text = "Zhipu AI introduced GLM-4.5. Zhipu said it would follow up."
    first = [(e.id, e.name, e.aliases) for e in extract_text(nlp, text).entities]
    second = [(e.id, e.name, e.aliases) for e in extract_text(nlp, text).entities]
    assert first == second
    assert ("org:zhipu-ai", "Zhipu AI", ["Zhipu"]) in first


# Lines of results and standings tables name teams: organizations, whatever the model says.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rowing results on Sunday.\n\nKestrel 3 Harbourside 1", {("Kestrel", "Organization"), ("Harbourside", "Organization")}),
        ("Standings after Sunday's games.\n\nNORTHBRIDGE 71 64 .526 10\n\nLAKEVIEW 65 66 .496 5", {("NORTHBRIDGE", "Organization"), ("LAKEVIEW", "Organization")}),
        ("Standings after Sunday's games.\n\nST ALDWYN 70 54 .565 -", {("ST ALDWYN", "Organization")}),
    ],
)
def test_results_table_teams(nlp: Language, text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= entities(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The team scored 3 goals in 2 games.",  # numbers in prose are not a results line
        "Revenue rose 12 percent to 4.5 billion dollars in 2024 .",
    ],
)
def test_prose_with_numbers_is_not_a_results_table(nlp: Language, text: str) -> None:
    recognizer = nlp.get_pipe("newskg_entities")
    assert list(recognizer._results_tables(text)) == []


def test_an_acronym_defined_in_the_article_is_the_organization_everywhere(nlp: Language) -> None:
    result = extract_text(nlp, "The Northern Robotics Alliance (NRA) opened a lab in Oslo. Later, NRA said the lab would hire 50 people.")
    nra = [m for m in result.mentions if m.text == "NRA"]
    assert len(nra) == 2
    org = next(e for e in result.entities if e.id == nra[0].entity)
    assert (org.type, org.name) == ("Organization", "Northern Robotics Alliance")
    assert {m.entity for m in nra} == {org.id}


def _find(text: str, surface: str) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


def _recognize_with_model_labels(
    nlp: Language,
    text: str,
    labels: list[tuple[str, str]],
    scores: dict[str, float] | None = None,
    others: list[tuple[str, str]] | None = None,
    base: list[tuple[str, str]] | None = None,
) -> list[tuple[str, str]]:
    """Run newskg_entities on ``text`` as if newskg_ner had produced ``labels`` (surface, label) with
    the confidences in ``scores`` (by surface; 1.0 otherwise) and the base model's NER ``base``.
    ``others`` receives the confusable spans."""
    from spacy.tokens import Span

    with nlp.select_pipes(disable=["newskg_entities", "newskg_claims"]):
        doc = nlp(text)
    spans: list[Span] = []
    taken = 0
    confidence = {}
    for surface, label in labels:
        start = text.index(surface, taken)
        taken = start + len(surface)
        spans.append(doc.char_span(start, taken, label=label))
        confidence[(start, taken, label)] = (scores or {}).get(surface, 1.0)
    doc.ents = spans
    doc._.newskg_ner_scores = confidence
    doc.spans["newskg_base_ner"] = [doc.char_span(*_find(text, surface), label=label) for surface, label in base or []]
    doc = nlp.get_pipe("newskg_entities")(doc)
    if others is not None:
        others.extend((s.text, s.label_) for s in doc.spans["newskg_other"])
    return [(e.text, e.label_) for e in doc.ents]


def test_a_surname_after_the_full_name_is_the_person_whatever_the_model_says(nlp: Language) -> None:
    found = _recognize_with_model_labels(nlp, "Tomas Berg led the review. Berg said it took a year.", [("Tomas Berg", "PERSON"), ("Berg", "ORG")])
    assert found == [("Tomas Berg", "Person"), ("Berg", "Person")]


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        # tagged once, untagged later: the later mention gets the same type
        (
            "Orvana Capital invested early. Founders said Orvana Capital had been patient.",
            [("Orvana Capital", "ORG")],
            [("Orvana Capital", "Organization"), ("Orvana Capital", "Organization")],
        ),
        # a name the article uses with two types is left as the model found it (third one untagged)
        (
            "Marlow won the vote in Marlow. Marlow thanked voters.",
            [("Marlow", "PERSON"), ("Marlow", "GPE")],
            [("Marlow", "Person"), ("Marlow", "Place")],
        ),
    ],
)
def test_one_type_per_name_in_an_article(nlp: Language, text: str, labels: list[tuple[str, str]], expected: list[tuple[str, str]]) -> None:
    assert _recognize_with_model_labels(nlp, text, labels) == expected


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("@karpathy praised the new release on Tuesday.", "@karpathy"),
        ("The team served the model with vLLM on eight H100 GPUs.", "vLLM"),
        ("The team served the model with vLLM on eight H100 GPUs.", "H100"),
        ("Developers can now try it in Claude Code.", "Claude Code"),
        ("The model scores 71% on SWE-bench Verified.", "SWE-bench Verified"),
    ],
)
def test_confusable_names_are_never_organizations_people_or_models(nlp: Language, text: str, surface: str) -> None:
    found = entities(nlp, text)
    assert not {(surface, kind) for kind in ("Organization", "Person", "Model")} & found


@pytest.mark.parametrize(
    ("label", "kind"),
    [("SOFTWARE", "Software"), ("PRODUCT", "Product"), ("HARDWARE", "Hardware"), ("BENCHMARK", "Benchmark"), ("HANDLE", "Handle")],
)
def test_confusable_types_are_kept_apart_from_the_entities(nlp: Language, label: str, kind: str) -> None:
    others: list[tuple[str, str]] = []
    found = _recognize_with_model_labels(nlp, "Orvana Labs tried Zentrix yesterday.", [("Orvana Labs", "ORG"), ("Zentrix", label)], others=others)
    assert found == [("Orvana Labs", "Organization")]
    assert others == [("Zentrix", kind)]


def test_a_handle_typed_as_an_organization_is_a_handle(nlp: Language) -> None:
    others: list[tuple[str, str]] = []
    assert _recognize_with_model_labels(nlp, "Thanks to @orvana_labs for this.", [("@orvana_labs", "ORG")], others=others) == []
    assert others == [("@orvana_labs", "Handle")]


@pytest.mark.parametrize(
    ("confidence", "base", "kept"),
    [
        (0.2, [], False),
        (0.99, [], True),
        # the base model's generic NER finds the same organization: two models agree
        (0.2, [("Veltrani Quorum", "ORG")], True),
        (0.2, [("Veltrani Quorum", "PERSON")], False),
    ],
)
def test_entities_below_the_threshold_are_not_emitted(nlp: Language, confidence: float, base: list[tuple[str, str]], kept: bool) -> None:
    recognizer = nlp.get_pipe("newskg_entities")
    assert 0.2 < recognizer.threshold < 0.99
    found = _recognize_with_model_labels(nlp, "Veltrani Quorum opened an office.", [("Veltrani Quorum", "ORG")], scores={"Veltrani Quorum": confidence}, base=base)
    assert (("Veltrani Quorum", "Organization") in found) == kept


@pytest.mark.parametrize(
    ("text", "labels", "confidence", "expected"),
    [
        # an organization suffix makes an unsure name an organization
        ("Velora Systems hired staff.", [("Velora Systems", "PERSON")], 0.5, [("Velora Systems", "Organization")]),
        # trailing lowercase words are no part of a name
        ("Mistral AI will release Mistral Large 3 next month.", [("Mistral AI", "ORG"), ("Mistral Large 3 next month", "MODEL")], 0.5,
         [("Mistral AI", "Organization"), ("Mistral Large 3", "Model")]),
        # a listed organization before a model name is the developer
        ("Critics compared Google Gemini with rivals.", [("Google Gemini", "MODEL")], 0.99, [("Google", "Organization"), ("Gemini", "Model")]),
        # unsure of it, the recognizer's span gives way to the rules: the organization gazetteer
        # (0.8) runs, the bare model family (0.7) is below rule_threshold
        ("Critics compared Google Gemini with rivals.", [("Google Gemini", "MODEL")], 0.5, [("Google", "Organization")]),
    ],
)
def test_precise_corrections_of_the_recognizer(
    nlp: Language, text: str, labels: list[tuple[str, str]], confidence: float, expected: list[tuple[str, str]]
) -> None:
    assert _recognize_with_model_labels(nlp, text, labels, scores={surface: confidence for surface, _ in labels}) == expected


@pytest.mark.parametrize(
    ("text", "recognized", "expected"),
    [
        ("Google shipped Gemini 3 Deep Think today.", "Gemini 3 Deep", "Gemini 3 Deep Think"),
        ("Alibaba released Qwen3.5-397B-A17B weights.", "Qwen3.5", "Qwen3.5-397B-A17B"),
    ],
)
def test_the_model_name_grammar_completes_a_recognized_model_name(nlp: Language, text: str, recognized: str, expected: str) -> None:
    assert (expected, "Model") in _recognize_with_model_labels(nlp, text, [(recognized, "MODEL")])


def test_every_mention_carries_its_confidence(nlp: Language) -> None:
    result = extract_text(nlp, "OpenAI released GPT-5 and Andrew Ng praised it in San Francisco.")
    threshold = nlp.get_pipe("newskg_entities").threshold
    assert result.mentions
    assert all(m.confidence is not None and threshold <= m.confidence <= 1.0 for m in result.mentions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We fine-tuned Llama3-8B. It was fast.", ("Llama3-8B", "Model")),
        ("It was fast, and so was Qwen2.5 0.5B.", ("Qwen2.5 0.5B", "Model")),
    ],
)
def test_a_full_stop_glued_to_a_model_name_is_not_part_of_its_name(nlp: Language, text: str, expected: tuple[str, str]) -> None:
    result = extract_text(nlp, text)
    assert expected in {(e.name, e.type) for e in result.entities}


@pytest.mark.parametrize(
    ("text", "labels", "base", "expected"),
    [
        # a person's surname is no common word of AI news ("provide", "bench", "studio")
        ("The bank Will Provide 1 trillion yuan.", [("Will Provide", "PERSON")], [], []),
        ("Scores on Tau Bench rose again.", [("Tau Bench", "PERSON")], [], []),
        # ... unless both models are sure of the full name (general news: "John Major")
        ("Prime minister Orlan Major spoke.", [("Orlan Major", "PERSON")], [("Orlan Major", "PERSON")], [("Orlan Major", "Person")]),
        ("Prime minister Orlan Major spoke.", [("Orlan Major", "PERSON")], [], []),
        # personal-name words: no inner capital except after Mc/Le/De/...
        ("Inside XPeng the robots walk.", [("Inside XPeng", "PERSON")], [], []),
        ("Talks with Yann LeCun and Dara McAvoy went well.", [("Yann LeCun", "PERSON"), ("Dara McAvoy", "PERSON")], [],
         [("Yann LeCun", "Person"), ("Dara McAvoy", "Person")]),
        # a one-word organization that is a common word, unless the base NER says organization too
        ("Context should Expire for efficiency.", [("Expire", "ORG")], [], []),
        ("Arsenal beat the visitors.", [("Arsenal", "ORG")], [("Arsenal", "ORG")], [("Arsenal", "Organization")]),
        # fragments, formats, errors, plural acronyms and licences are never names
        ("It runs in O(1 time.", [("O(1", "MODEL")], [], []),
        ("It raised a ValueError on load.", [("ValueError", "MODEL")], [], []),
        ("Many BCIs read signals.", [("BCIs", "MODEL")], [], []),
        ("Both ship under MIT licenses.", [("MIT", "ORG")], [], []),
        # a repetition is checked like a mention: the later "MIT" is the licence's
        ("MIT researchers built it. Both ship under MIT licenses.", [("MIT", "ORG")], [], [("MIT", "Organization")]),
        ("Try the Q4 quant on x86 boxes.", [("Q4", "MODEL"), ("x86", "MODEL")], [], []),
        # a full personal name the base NER reads, taken for an organization, is the person
        ("tinygrad (Orlan Vesk) Discord", [("Orlan Vesk", "ORG")], [("Orlan Vesk", "PERSON")], [("Orlan Vesk", "Person")]),
    ],
)
def test_names_must_have_the_form_of_their_type(
    nlp: Language, text: str, labels: list[tuple[str, str]], base: list[tuple[str, str]], expected: list[tuple[str, str]]
) -> None:
    assert _recognize_with_model_labels(nlp, text, labels, base=base) == expected


def test_a_listed_look_alike_is_never_an_organization_in_any_case(nlp: Language) -> None:
    others: list[tuple[str, str]] = []
    assert _recognize_with_model_labels(nlp, "Agents served with Koboldcpp work.", [("Koboldcpp", "ORG")], others=others) == []
    assert others == [("Koboldcpp", "Software")]


def test_one_sense_per_article_towards_the_look_alike_types(nlp: Language) -> None:
    text = "Zentrix 2 shipped. Zentrix now has plugins. Users love Zentrix."
    labels = [("Zentrix", "SOFTWARE"), ("Zentrix", "SOFTWARE"), ("Zentrix", "ORG")]
    others: list[tuple[str, str]] = []
    assert _recognize_with_model_labels(nlp, text, labels, others=others) == []
    assert others == [("Zentrix", "Software")] * 3


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("BobNet Clarification, Formatting Tools in Tinygrad, ARM vs x86 Architecture", True),
        ("Chub vs Jan, NSFW Ban Wave, DeepSeek and censorship, Gemini for roleplay", True),
        ("Models like Gemini, Claude, and GPT-5 were compared", False),
        ("We tried Orvana, Zentrix, and Quill, and all of them failed.", False),
    ],
)
def test_a_topic_list_line_is_a_heading(line: str, heading: bool) -> None:
    from kg.extract.entity_recognizer import heading_regions

    assert (heading_regions("Intro text here.\n" + line) == [(17, 17 + len(line))]) == heading


@pytest.mark.parametrize(
    ("confidence", "base", "kept"),
    [
        (0.95, [], False),  # "GAE" the method: a bare acronym the recognizer alone is not sure of
        (0.995, [], True),
        (0.95, [("GAE", "ORG")], True),  # the base NER reads an organization too
    ],
)
def test_a_bare_acronym_organization_needs_a_sure_recognizer_or_agreement(
    nlp: Language, confidence: float, base: list[tuple[str, str]], kept: bool
) -> None:
    found = _recognize_with_model_labels(nlp, "Training improved with GAE today.", [("GAE", "ORG")], scores={"GAE": confidence}, base=base)
    assert (("GAE", "Organization") in found) == kept
