"""The `wegwijzer` command."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

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
    from index.encoders import prepare_models
    from wegwijzer.paths import models_dir

    prepare_models(models_dir(), _print_progress)
    return 0


def cmd_index_build(args: argparse.Namespace) -> int:
    from index.build import build_index, is_up_to_date
    from index.encoders import identities_on_disk, load_encoders
    from wegwijzer.knowledge import load_knowledge
    from wegwijzer.paths import index_dir, models_dir

    knowledge = load_knowledge()
    if not args.force and is_up_to_date(index_dir(), knowledge, identities_on_disk(models_dir())):
        print(f"Zoekindex is actueel ({index_dir()}); niets te doen.")
        return 0
    build_index(knowledge, load_encoders(models_dir()), index_dir(), _print_progress)
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    """Everything after the Python install: models, knowledge check, index. Quick when nothing changed."""
    _print_progress("[1/3] Taalmodellen voorbereiden")
    cmd_models_prepare(args)
    _print_progress("[2/3] Kennisbank controleren")
    if cmd_knowledge_check(argparse.Namespace(dir=None)) != 0:
        return 1
    _print_progress("[3/3] Zoekindex bouwen")
    return cmd_index_build(argparse.Namespace(force=False))


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
    from index.runtime import open_searcher

    searcher = open_searcher()
    if args.query is not None:
        print(_render_search(searcher.search(args.query, args.gemeente, k=args.k), args.json))
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
            print(_render_search(searcher.search(query, args.gemeente, k=args.k), args.json))
        except ValueError as error:
            print(error, file=sys.stderr)


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    from index.runtime import open_searcher
    from wegwijzer.evaluation.dataset import load_cases
    from wegwijzer.evaluation.retrieval import evaluate, render

    cases = load_cases(Path(args.set))
    summary = evaluate(cases, open_searcher())
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else render(summary))
    return 0


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

    commands.add_parser("setup", help="modellen, controle en index in één keer").set_defaults(func=cmd_setup)

    search = commands.add_parser("search", help="zoek passages en plekken bij een vraag")
    search.add_argument("query", nargs="?", help="de vraag; zonder vraag start een prompt")
    search.add_argument("--gemeente", required=True)
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=cmd_search)

    evaluation = commands.add_parser("eval", help="meet de kwaliteit").add_subparsers(dest="action", required=True)
    retrieval = evaluation.add_parser("retrieval", help="hit@1, hit@5, MRR op een vragenset")
    retrieval.add_argument("--set", default=str(REPO_ROOT.parent / "shared" / "eval" / "dev.yaml"))
    retrieval.add_argument("--json", action="store_true")
    retrieval.set_defaults(func=cmd_eval_retrieval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from index.errors import IndexError_, QueryError
    from wegwijzer.evaluation.dataset import EvalSetError
    from wegwijzer.knowledge import KnowledgeError

    expected: tuple[type[BaseException], ...] = (KnowledgeError, IndexError_, QueryError, EvalSetError)
    try:
        from index.encoders import ModelMissingError

        expected += (ModelMissingError,)
    except ImportError:
        pass
    try:
        return int(args.func(args))
    except expected as error:
        print(str(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
