"""The `wegwijzer` command."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from wegwijzer.knowledge.model import ROLES
from wegwijzer.paths import REPO_ROOT


def _print_progress(message: str) -> None:
    print(message, flush=True)


def cmd_knowledge_check(args: argparse.Namespace) -> int:
    from wegwijzer.knowledge.loader import build_knowledge, check_knowledge

    raw, problems = check_knowledge(Path(args.dir) if args.dir else None)
    for problem in problems:
        print(problem.render(raw.root), file=sys.stderr)
    if problems:
        print(f"{len(problems)} fout(en) in de kennisbank.", file=sys.stderr)
        return 1
    kb = build_knowledge(raw)
    examples = sum(len(v) for t in kb.topics.values() for v in t.examples.values())
    service_examples = sum(len(v) for s in kb.services.values() for v in s.examples.values())
    print(
        f"Kennisbank in orde: {len(kb.gemeenten)} gemeenten, {len(kb.documents)} documenten, "
        f"{len(kb.services)} plekken ({service_examples} voorbeeldvragen), "
        f"{len(kb.topics)} onderwerpen ({examples} voorbeeldvragen), "
        f"{len(kb.glossary)} begrippen."
    )
    return 0


def cmd_models_prepare(args: argparse.Namespace) -> int:
    from index.models.prepare import prepare_models
    from wegwijzer.paths import knowledge_dir, models_dir

    prepare_models(models_dir(), _print_progress, knowledge_dir())
    return 0


def cmd_index_build(args: argparse.Namespace) -> int:
    from index.build import build_index, is_up_to_date
    from index.encoders import load_encoders
    from index.model_files import identities_on_disk
    from wegwijzer.knowledge import load_knowledge
    from wegwijzer.paths import index_dir, models_dir

    knowledge = load_knowledge()
    if not args.force and is_up_to_date(index_dir(), knowledge, identities_on_disk(models_dir())):
        print(f"Zoekindex is actueel ({index_dir()}); niets te doen.")
        return 0
    build_index(knowledge, load_encoders(models_dir()), index_dir(), _print_progress)
    return 0


def cmd_crisis_train(args: argparse.Namespace) -> int:
    from index.encoders import load_query_encoders
    from index.model_files import feature_identities_on_disk
    from wegwijzer.dialogue.crisis import crisis_dir
    from wegwijzer.dialogue.crisis.train import is_up_to_date, train
    from wegwijzer.knowledge import load_knowledge
    from wegwijzer.paths import models_dir

    knowledge = load_knowledge()
    if not args.force and is_up_to_date(crisis_dir(), knowledge, feature_identities_on_disk(models_dir())):
        print(f"Crisisherkenning is actueel ({crisis_dir()}); niets te doen.")
        return 0
    train(knowledge, load_query_encoders(models_dir()), crisis_dir(), _print_progress)
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    """Everything after the Python install: models, knowledge check, index, crisis detector.
    Quick when nothing changed."""
    _print_progress("[1/4] Taalmodellen voorbereiden")
    cmd_models_prepare(args)
    _print_progress("[2/4] Kennisbank controleren")
    if cmd_knowledge_check(argparse.Namespace(dir=None)) != 0:
        return 1
    _print_progress("[3/4] Zoekindex bouwen")
    if cmd_index_build(argparse.Namespace(force=False)) != 0:
        return 1
    _print_progress("[4/4] Crisisherkenning trainen")
    return cmd_crisis_train(argparse.Namespace(force=False))


def _bot_generate() -> None:
    from wegwijzer.knowledge import load_knowledge
    from wegwijzer.rasa_build import BotLayout, generate

    report = generate(load_knowledge(), BotLayout.default())
    _print_progress(f"    {report.summary()}")
    for dropped in report.conflicts[:10]:
        _print_progress(f"    weggelaten ({dropped.reason}): {dropped.example.text!r} uit {dropped.example.source}")


def cmd_bot_generate(args: argparse.Namespace) -> int:
    _print_progress("NLU en domein genereren uit knowledge/ naar bot/data/generated en bot/domain/generated")
    _bot_generate()
    return 0


def cmd_bot_train(args: argparse.Namespace) -> int:
    from wegwijzer.rasa_build import BotLayout, train

    _print_progress("[1/2] NLU en domein genereren uit knowledge/")
    _bot_generate()
    _print_progress("[2/2] Rasa-model trainen (alleen als bot/ of knowledge/ veranderd is)")
    train(BotLayout.default(), args.force, _print_progress)
    return 0


def cmd_bot_validate(args: argparse.Namespace) -> int:
    from wegwijzer.rasa_build import BotLayout, validate

    _print_progress("[1/2] NLU en domein genereren uit knowledge/")
    _bot_generate()
    _print_progress("[2/2] rasa data validate --fail-on-warnings")
    code = validate(BotLayout.default(), _print_progress)
    if code != 0:
        print(f"rasa data validate vond problemen (exitcode {code}); zie hierboven.", file=sys.stderr)
        return 1
    _print_progress("Rasa-project in orde: geen waarschuwingen.")
    return 0


def cmd_bot_status(args: argparse.Namespace) -> int:
    from wegwijzer.rasa_build import BotLayout, model_freshness

    layout = BotLayout.default()
    status = model_freshness(layout)
    print(status.describe(layout))
    return 0 if status.fresh else 1


def _render_search(result: object, as_json: bool) -> str:
    from index.search import SearchResult

    assert isinstance(result, SearchResult)
    if as_json:
        return json.dumps(
            {
                "query": result.query,
                "gemeente": result.gemeente,
                "passages": [
                    {
                        "text": h.passage.text,
                        "document": h.passage.document,
                        "document_title": h.passage.document_title,
                        "year": h.passage.year,
                        "section": h.passage.section,
                        "section_title": h.passage.section_title,
                        "score": round(h.score, 4),
                    }
                    for h in result.passages
                ],
                "services": [
                    {"id": h.service.id, "name": h.service.name, "score": round(h.score, 4)} for h in result.services
                ],
                "topics": [{"topic": t.topic, "probability": round(t.probability, 4)} for t in result.topics],
            },
            ensure_ascii=False,
            indent=2,
        )
    lines = [f"Onderwerp: {', '.join(f'{t.topic} ({t.probability:.2f})' for t in result.topics)}", "Plekken:"]
    lines += [f"  {h.score:6.2f}  {h.service.name}" for h in result.services]
    lines.append("Passages:")
    for n, hit in enumerate(result.passages, start=1):
        text = " ".join(hit.passage.text.split())
        lines.append(f"  {n}. [{hit.score:.2f}] {hit.passage.citation()}")
        lines.append(f"     {text[:300]}{'…' if len(text) > 300 else ''}")
    return "\n".join(lines)


def cmd_search(args: argparse.Namespace) -> int:
    from wegwijzer.search_loader import open_searcher

    searcher = open_searcher()
    if args.query is not None:
        print(_render_search(searcher.search(args.query, args.gemeente, k=args.k, role=args.role), args.json))
        return 0
    print(f"Wegwijzer zoeken in {args.gemeente}. Typ een vraag (leeg of Ctrl-D om te stoppen).")
    while True:
        try:
            query = input("vraag> ").strip()
        except EOFError:
            print()
            return 0
        if not query:
            return 0
        try:
            print(_render_search(searcher.search(query, args.gemeente, k=args.k, role=args.role), args.json))
        except ValueError as error:
            print(error, file=sys.stderr)


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    from wegwijzer.evaluation.dataset import load_cases
    from wegwijzer.evaluation.retrieval import evaluate, render
    from wegwijzer.search_loader import open_searcher

    cases = load_cases(Path(args.set))
    summary = evaluate(cases, open_searcher())
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else render(summary))
    return 0


def cmd_eval_places(args: argparse.Namespace) -> int:
    from wegwijzer.evaluation.places import evaluate, render
    from wegwijzer.search_loader import open_searcher

    summary = evaluate(open_searcher(), args.sample)
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else render(summary))
    return 0


def cmd_eval_crisis(args: argparse.Namespace) -> int:
    from index.model_files import feature_identities_on_disk
    from wegwijzer.dialogue.crisis import crisis_dir
    from wegwijzer.dialogue.crisis.train import load_bank_vectors
    from wegwijzer.evaluation.crisis import FOLDS, cross_validate, evaluate_set, load_crisis_cases, render
    from wegwijzer.knowledge import load_knowledge
    from wegwijzer.paths import models_dir

    if args.set:
        from wegwijzer.search_loader import open_search

        detector = open_search().detector
        summary = evaluate_set(detector, load_crisis_cases(Path(args.set))).to_json()
        title = f"Crisisherkenning op {args.set}"
    else:
        knowledge = load_knowledge()
        bank = load_bank_vectors(crisis_dir(), knowledge, feature_identities_on_disk(models_dir()))
        folds = args.folds or FOLDS
        summary = cross_validate(knowledge, bank, folds).to_json()
        title = f"Crisisherkenning, {folds}-voudige kruisvalidatie over knowledge/crisis_bank (gegroepeerd)"
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else render(summary, title))
    return 0


def cmd_eval_dialogue(args: argparse.Namespace) -> int:
    from wegwijzer.evaluation.dataset import load_cases
    from wegwijzer.evaluation.dialogue import evaluate, render

    summary = evaluate(load_cases(Path(args.set)), args.url, clarify=not args.no_clarify)
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else render(summary))
    return 0


def cmd_eval_conversations(args: argparse.Namespace) -> int:
    from wegwijzer.evaluation.conversations import evaluate, load_conversations, render

    summary = evaluate(load_conversations(Path(args.set)), args.url)
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else render(summary))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from wegwijzer.stack import run_forever

    return run_forever()


def cmd_chat(args: argparse.Namespace) -> int:
    import uuid

    from wegwijzer.chat import Button
    from wegwijzer.evaluation.rasa_rest import send

    sender = f"terminal-{uuid.uuid4().hex[:12]}"
    metadata = {"gemeente": args.gemeente, "role": args.role, "lang": args.lang}
    print("Wegwijzer (chatbot). Typ uw vraag; een lege regel of Ctrl-D stopt. Knoppen: typ het nummer.")
    buttons: list[Button] = []
    while True:
        try:
            line = input("> ").strip()
        except EOFError:
            return 0
        if not line:
            return 0
        if line.isdigit() and 0 < int(line) <= len(buttons):
            line = buttons[int(line) - 1].payload
        turn = send(line, sender, metadata, args.url)
        for reply in turn.replies:
            print(f"\n{reply.text}")
        buttons = turn.buttons
        for number, button in enumerate(buttons, start=1):
            link = f" ({button.url})" if button.url else ""  # a link: open it in the browser
            print(f"  [{number}] {button.title}{link}")
        print()


def cmd_privacy_measure(args: argparse.Namespace) -> int:
    from wegwijzer.privacy.measure import DEFAULT_CORPUS, measure_corpus, render_all

    measurements = measure_corpus(Path(args.corpus) if args.corpus else DEFAULT_CORPUS)
    if args.json:
        print(json.dumps({part: m.as_dict() for part, m in measurements.items()}, ensure_ascii=False, indent=2))
    else:
        print(render_all(measurements))
    return 0


def cmd_privacy_redact(args: argparse.Namespace) -> int:
    from wegwijzer.privacy import redact

    redacted = redact(args.text)
    print(redacted.text)
    print(f"gevonden: {', '.join(redacted.found) or 'niets'}", file=sys.stderr)
    return 0


def _records_command(args: argparse.Namespace, work: str) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from wegwijzer.records import RecordStore
    from wegwijzer.records.cli import run_purge, run_report
    from wegwijzer.settings import SettingsError

    try:
        store = RecordStore.from_settings(startup=work == "report")  # a report never shows what is past the retention
        return run_report(store, args) if work == "report" else run_purge(store, args)
    except SettingsError as error:
        print(error, file=sys.stderr)
    except SQLAlchemyError as error:
        print(f"De database voor de gespreksverslagen is niet bereikbaar ({type(error).__name__}).", file=sys.stderr)
    return 2


def cmd_report(args: argparse.Namespace) -> int:
    return _records_command(args, "report")


def cmd_records_purge(args: argparse.Namespace) -> int:
    return _records_command(args, "purge")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wegwijzer", description="Wegwijzer: waar moet ik heen?")
    commands = parser.add_subparsers(dest="command", required=True)

    knowledge = commands.add_parser("knowledge", help="de kennisbank").add_subparsers(dest="action", required=True)
    check = knowledge.add_parser("check", help="controleer knowledge/ (fouten met bestand en regel)")
    check.add_argument("--dir", help="een andere kennismap dan knowledge/")
    check.set_defaults(func=cmd_knowledge_check)

    models = commands.add_parser("models", help="de taalmodellen").add_subparsers(dest="action", required=True)
    models.add_parser("prepare", help="exporteer de meegeleverde modellen naar var/models").set_defaults(
        func=cmd_models_prepare
    )

    index = commands.add_parser("index", help="de zoekindex").add_subparsers(dest="action", required=True)
    build = index.add_parser("build", help="bouw de zoekindex (alleen als iets veranderd is)")
    build.add_argument("--force", action="store_true", help="bouw ook als de index actueel is")
    build.set_defaults(func=cmd_index_build)

    crisis = commands.add_parser("crisis", help="de crisisherkenning").add_subparsers(dest="action", required=True)
    crisis_train = crisis.add_parser("train", help="leer de crisisherkenning uit knowledge/crisis_bank")
    crisis_train.add_argument("--force", action="store_true", help="train ook als hij actueel is")
    crisis_train.set_defaults(func=cmd_crisis_train)

    commands.add_parser("setup", help="modellen, controle, index en crisisherkenning in één keer").set_defaults(
        func=cmd_setup
    )

    bot = commands.add_parser("bot", help="het Rasa-project in bot/").add_subparsers(dest="action", required=True)
    bot.add_parser("generate", help="schrijf de NLU en het domein die uit knowledge/ komen").set_defaults(
        func=cmd_bot_generate
    )
    bot_train = bot.add_parser("train", help="genereer en train het Rasa-model (alleen als iets veranderd is)")
    bot_train.add_argument("--force", action="store_true", help="train ook als het model actueel is")
    bot_train.set_defaults(func=cmd_bot_train)
    bot.add_parser("validate", help="genereer en controleer met rasa data validate").set_defaults(func=cmd_bot_validate)
    bot.add_parser("status", help="is het Rasa-model actueel? (exitcode 1: nee)").set_defaults(func=cmd_bot_status)

    search = commands.add_parser("search", help="zoek passages en plekken bij een vraag")
    search.add_argument("query", nargs="?", help="de vraag; zonder vraag start een prompt")
    search.add_argument("--gemeente", required=True)
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--role", choices=ROLES, default="inwoner")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=cmd_search)

    evaluation = commands.add_parser("eval", help="meet de kwaliteit").add_subparsers(dest="action", required=True)
    retrieval = evaluation.add_parser("retrieval", help="hit@1, hit@5, MRR op een vragenset")
    retrieval.add_argument("--set", default=str(REPO_ROOT.parent / "shared" / "eval" / "dev.yaml"))
    retrieval.add_argument("--json", action="store_true")
    retrieval.set_defaults(func=cmd_eval_retrieval)
    places = evaluation.add_parser("places", help="leave-one-out over de voorbeeldvragen van de plekken")
    places.add_argument("--sample", type=int, default=None, help="alleen zoveel voorbeelden (vaste steekproef)")
    places.add_argument("--json", action="store_true")
    places.set_defaults(func=cmd_eval_places)
    crisis_eval = evaluation.add_parser("crisis", help="recall en vals alarm van de crisisherkenning")
    crisis_eval.add_argument("--set", help="een bestand of map met gevallen; zonder: kruisvalidatie over de bank")
    crisis_eval.add_argument("--folds", type=int, help="aantal delen van de kruisvalidatie (standaard 5)")
    crisis_eval.add_argument("--json", action="store_true")
    crisis_eval.set_defaults(func=cmd_eval_crisis)
    dialogue = evaluation.add_parser("dialogue", help="eerste antwoorden via de draaiende assistent (Rasa REST)")
    dialogue.add_argument("--set", default=str(REPO_ROOT.parent / "shared" / "eval" / "dev.yaml"))
    dialogue.add_argument("--url", help="Rasa REST-webhook (standaard die van WEGWIJZER_RASA_URL)")
    dialogue.add_argument(
        "--no-clarify", action="store_true", help="probeer de keuzes van een verduidelijkende vraag niet"
    )
    dialogue.add_argument("--json", action="store_true")
    dialogue.set_defaults(func=cmd_eval_dialogue)
    conversations = evaluation.add_parser(
        "conversations", help="gesprekken van meer beurten via de draaiende assistent (Rasa REST)"
    )
    conversations.add_argument(
        "--set", default=str(REPO_ROOT / "tests" / "data" / "conversations"), help="een bestand of map met gesprekken"
    )
    conversations.add_argument("--url", help="Rasa REST-webhook (standaard die van WEGWIJZER_RASA_URL)")
    conversations.add_argument("--json", action="store_true")
    conversations.set_defaults(func=cmd_eval_conversations)

    commands.add_parser("run", help="start actieserver, Rasa en web-API en wacht tot ze gezond zijn").set_defaults(
        func=cmd_run
    )
    chat = commands.add_parser("chat", help="chat in de terminal met de draaiende assistent")
    chat.add_argument("--gemeente", default="purmerend")
    chat.add_argument("--role", default="inwoner", choices=ROLES)
    chat.add_argument("--lang", default="nl", choices=["nl", "en", "ar", "tr", "uk", "pl"])
    chat.add_argument("--url", help="Rasa REST-webhook (standaard die van WEGWIJZER_RASA_URL)")
    chat.set_defaults(func=cmd_chat)
    privacy = commands.add_parser("privacy", help="persoonsgegevens uit teksten").add_subparsers(
        dest="action", required=True
    )
    privacy_measure = privacy.add_parser("measure", help="precision en recall per soort op het gelabelde corpus")
    privacy_measure.add_argument("--corpus", help="een ander corpus dan tests/data/pii_corpus.yaml")
    privacy_measure.add_argument("--json", action="store_true")
    privacy_measure.set_defaults(func=cmd_privacy_measure)
    privacy_redact = privacy.add_parser("redact", help="laat zien wat er van een tekst overblijft")
    privacy_redact.add_argument("text")
    privacy_redact.set_defaults(func=cmd_privacy_redact)

    report = commands.add_parser("report", help="verslag van de gesprekken voor het contentteam")
    report.add_argument("--days", type=int, default=7, help="de laatste N dagen (0: alles wat bewaard is)")
    report.add_argument("--gemeente")
    report.add_argument("--json", action="store_true")
    report.set_defaults(func=cmd_report)
    records = commands.add_parser("records", help="de gespreksverslagen").add_subparsers(dest="action", required=True)
    purge = records.add_parser("purge", help="verwijder wat ouder is dan de bewaartermijn (ook Rasa's events)")
    purge.add_argument("--days", type=int, help="bewaartermijn in dagen (standaard WEGWIJZER_RETENTION_DAYS of 28)")
    purge.set_defaults(func=cmd_records_purge)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from index.errors import IndexUnusable, QueryError
    from index.model_files import ModelMissingError
    from wegwijzer.dialogue.crisis import CrisisModelError
    from wegwijzer.evaluation.dataset import EvalSetError
    from wegwijzer.evaluation.rasa_rest import AssistantUnreachable
    from wegwijzer.knowledge import KnowledgeError
    from wegwijzer.rasa_build.layout import BuildError
    from wegwijzer.stack import StackError

    expected: tuple[type[BaseException], ...] = (
        KnowledgeError,
        IndexUnusable,
        QueryError,
        EvalSetError,
        AssistantUnreachable,
        StackError,
        BuildError,
        CrisisModelError,
        ModelMissingError,
    )
    try:
        return int(args.func(args))
    except expected as error:
        print(str(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
