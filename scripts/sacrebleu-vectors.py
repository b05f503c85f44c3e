#!/usr/bin/env python3
"""Golden vectors for `fr2en score`, computed by sacreBLEU itself (dev only; CI never runs this).

    python3 -m pip install sacrebleu==2.6.0
    python3 scripts/sacrebleu-vectors.py

Reads the small input texts in test/fixtures/sacrebleu/ and writes, next to them, one JSON file per
case: sacreBLEU's corpus and sentence scores for BLEU (every tokenizer, cased and lowercased), chrF,
chrF++ and TER, and for a few cases the text and JSON its command line prints. It also records the
facts the TypeScript port relies on (Python's whitespace set, `str.lower`, the `regex` module's
Unicode classes on the characters the inputs use). With ../shared/data/parallel present it adds
multi30k.json (numbers only; the corpus itself is not copied).

The TypeScript tests (test/score-*.test.ts) read these files; they never need Python.
"""
import json
import os
import subprocess
import sys

import regex
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(ROOT, 'test', 'fixtures', 'sacrebleu')
PARALLEL = os.path.join(os.path.dirname(ROOT), 'shared', 'data', 'parallel')

TOKENIZERS = ['13a', 'intl', 'none', 'char']

# (case name, hypothesis file, reference files)
CASES = [
    ('mt-1ref', 'hyp-mt.txt', ['ref-a.txt']),
    ('mt-2refs', 'hyp-mt.txt', ['ref-a.txt', 'ref-b.txt']),
    ('drop', 'hyp-drop.txt', ['ref-a.txt']),
    ('swap', 'hyp-swap.txt', ['ref-a.txt']),
    ('case', 'hyp-case.txt', ['ref-a.txt']),
    ('nopunct', 'hyp-nopunct.txt', ['ref-a.txt']),
    ('trunc-2refs', 'hyp-trunc.txt', ['ref-a.txt', 'ref-b.txt']),
    ('short', 'hyp-short.txt', ['ref-a.txt']),
    # A second reference that matches nothing but is closer in length lowers corpus BLEU: the
    # brevity penalty uses the closest reference length.
    ('brevity-1ref', 'bp-hyp.txt', ['bp-ref-1.txt']),
    ('brevity-2refs', 'bp-hyp.txt', ['bp-ref-1.txt', 'bp-ref-2.txt']),
    ('identical', 'ref-a.txt', ['ref-a.txt']),
    ('tokenizers', 'tok-hyp.txt', ['tok-ref.txt']),
    ('ter-shifts', 'ter-hyp.txt', ['ter-ref.txt']),
]

# Cases also scored with BLEU's other smoothing methods (13a, cased): (method, value or None).
SMOOTHING_CASES = {'mt-2refs', 'short'}
SMOOTHINGS = [('floor', None), ('floor', 0.5), ('add-k', None), ('add-k', 2), ('none', None)]

# Command lines recorded verbatim: (case, fr2en arguments after HYP --ref REF..., sacreBLEU arguments).
CLI_RUNS = [
    ('mt-1ref', ['--metrics', 'bleu,chrf,ter'], ['-m', 'bleu', 'chrf', 'ter']),
    ('mt-2refs', ['--metrics', 'bleu,chrf,ter'], ['-m', 'bleu', 'chrf', 'ter']),
    ('mt-2refs', ['--metrics', 'chrf++'], ['-m', 'chrf', '--chrf-word-order', '2']),
    ('case', ['--lowercase'], ['-m', 'bleu', 'chrf', '-lc', '--chrf-lowercase']),
    ('tokenizers', ['--tokenize', 'intl'], ['-m', 'bleu', 'chrf', '--tokenize', 'intl']),
    ('tokenizers', ['--tokenize', 'char', '--lowercase'], ['-m', 'bleu', 'chrf', '--tokenize', 'char', '-lc', '--chrf-lowercase']),
    ('identical', [], ['-m', 'bleu', 'chrf']),
]


def read_lines(path):
    """Lines as sacreBLEU's command line reads them: split on \\n only, trailing whitespace removed."""
    with open(path, encoding='utf-8', newline='\n') as handle:
        return [line.rstrip() for line in handle]


def bleu_record(score, full=True):
    record = {'score': score.score, 'counts': list(score.counts), 'totals': list(score.totals)}
    if full:
        record.update({'precisions': list(score.precisions), 'bp': score.bp})
    record.update({'sys_len': score.sys_len, 'ref_len': score.ref_len})
    return record


def chrf_metric(word_order, lowercase):
    return CHRF(word_order=word_order, lowercase=lowercase)


def score_smoothings(hyp_path, ref_paths):
    hyps = read_lines(hyp_path)
    refs = [read_lines(path) for path in ref_paths]
    out = []
    for method, value in SMOOTHINGS:
        corpus = BLEU(smooth_method=method, smooth_value=value)
        sentence = BLEU(smooth_method=method, smooth_value=value, effective_order=True)
        out.append({
            'smooth': method,
            'value': value,
            'corpus': {**bleu_record(corpus.corpus_score(hyps, refs)), 'signature': str(corpus.get_signature())},
            'sentences': [bleu_record(sentence.sentence_score(h, [r[i] for r in refs]), full=False) for i, h in enumerate(hyps)],
        })
    return out


def score_case(hyp_path, ref_paths):
    hyps = read_lines(hyp_path)
    refs = [read_lines(path) for path in ref_paths]
    for ref in refs:
        assert len(ref) == len(hyps), (hyp_path, len(hyps), len(ref))
    out = {'bleu': [], 'chrf': [], 'chrf++': [], 'ter': []}
    for lowercase in (False, True):
        for tokenize in TOKENIZERS:
            corpus = BLEU(tokenize=tokenize, lowercase=lowercase)
            sentence = BLEU(tokenize=tokenize, lowercase=lowercase, effective_order=True)
            out['bleu'].append({
                'tokenize': tokenize,
                'lowercase': lowercase,
                'corpus': {**bleu_record(corpus.corpus_score(hyps, refs)), 'signature': str(corpus.get_signature())},
                'sentences': [bleu_record(sentence.sentence_score(h, [r[i] for r in refs]), full=False) for i, h in enumerate(hyps)],
                'sentence_signature': str(sentence.get_signature()),
            })
        for name, word_order in (('chrf', 0), ('chrf++', 2)):
            metric = chrf_metric(word_order, lowercase)
            corpus = metric.corpus_score(hyps, refs)
            out[name].append({
                'lowercase': lowercase,
                'corpus': {'score': corpus.score, 'name': corpus.name, 'signature': str(metric.get_signature())},
                'sentences': [metric.sentence_score(h, [r[i] for r in refs]).score for i, h in enumerate(hyps)],
            })
    ter = TER()
    corpus = ter.corpus_score(hyps, refs)
    out['ter'].append({
        'corpus': {'score': corpus.score, 'num_edits': corpus.num_edits, 'ref_length': corpus.ref_length, 'signature': str(ter.get_signature())},
        'sentences': [ter.sentence_score(h, [r[i] for r in refs]).score for i, h in enumerate(hyps)],
    })
    return out


def run_cli(hyp_path, ref_paths, args):
    command = [sys.executable, '-m', 'sacrebleu', *ref_paths, '-i', hyp_path, *args]
    env = {**os.environ, 'NO_COLOR': '1'}
    text = subprocess.run([*command, '-f', 'text'], check=True, capture_output=True, text=True, cwd=FIXTURES, env=env).stdout
    js = subprocess.run([*command, '-f', 'json'], check=True, capture_output=True, text=True, cwd=FIXTURES, env=env).stdout
    return text.splitlines(), json.loads(js)


def unicode_facts():
    """What the port must agree with Python on, for the characters the inputs hold."""
    chars = set()
    for name in sorted(os.listdir(FIXTURES)):
        if name.endswith('.txt'):
            with open(os.path.join(FIXTURES, name), encoding='utf-8', newline='\n') as handle:
                chars.update(handle.read())
    chars = sorted(chars)
    classes = {}
    for cls in ('P', 'S', 'N'):
        pattern = regex.compile(r'\p{' + cls + '}')
        classes[cls] = ''.join(c for c in chars if pattern.fullmatch(c))
    lines = read_lines(os.path.join(FIXTURES, 'tok-ref.txt')) + read_lines(os.path.join(FIXTURES, 'tok-hyp.txt'))
    return {
        'python_whitespace': [cp for cp in range(sys.maxunicode + 1) if chr(cp).isspace()],
        'classes': classes,
        'lowercase': {'input': lines, 'python': [line.lower() for line in lines]},
    }


def multi30k():
    """sacreBLEU on real text: the French side scored as a 'translation', and a damaged English one."""
    fr = read_lines(os.path.join(PARALLEL, 'multi30k-test_2016_flickr.fr'))
    en = read_lines(os.path.join(PARALLEL, 'multi30k-test_2016_flickr.en'))
    # Replicated by the TypeScript test: lowercase, every period removed.
    damaged = [line.lower().replace('.', '') for line in en]
    out = {}
    for name, hyps in (('french-as-hypothesis', fr), ('lowercased-no-periods', damaged)):
        bleu, chrf, chrfpp, ter = BLEU(), CHRF(), CHRF(word_order=2), TER()
        sentence_bleu = BLEU(effective_order=True)
        out[name] = {
            'corpus': {
                'bleu': bleu_record(bleu.corpus_score(hyps, [en])),
                'chrf': chrf.corpus_score(hyps, [en]).score,
                'chrf++': chrfpp.corpus_score(hyps, [en]).score,
                'ter': ter.corpus_score(hyps, [en]).score,
            },
            'sentences': {
                'bleu': [round(sentence_bleu.sentence_score(h, [r]).score, 8) for h, r in zip(hyps, en)],
                'chrf': [round(chrf.sentence_score(h, [r]).score, 8) for h, r in zip(hyps, en)],
            },
        }
    return out


def is_flat(value):
    scalars = (str, int, float, bool, type(None))
    if isinstance(value, list):
        return all(isinstance(v, scalars) for v in value)
    if isinstance(value, dict):
        return all(isinstance(v, scalars) or (isinstance(v, list) and is_flat(v)) for v in value.values())
    return True


def dumps(value, indent=0):
    """JSON with one line per flat record or list: readable, and small diffs when a number moves."""
    if is_flat(value):
        return json.dumps(value, ensure_ascii=False)
    pad = ' ' * (indent + 1)
    if isinstance(value, list):
        items = [pad + dumps(v, indent + 1) for v in value]
        return '[\n' + ',\n'.join(items) + '\n' + ' ' * indent + ']'
    items = [pad + json.dumps(k, ensure_ascii=False) + ': ' + dumps(v, indent + 1) for k, v in value.items()]
    return '{\n' + ',\n'.join(items) + '\n' + ' ' * indent + '}'


def write_json(name, data):
    path = os.path.join(FIXTURES, name)
    with open(path, 'w', encoding='utf-8', newline='\n') as handle:
        handle.write(dumps(data) + '\n')
    print(f'wrote {os.path.relpath(path, ROOT)}')


def main():
    header = {'generator': 'scripts/sacrebleu-vectors.py', 'sacrebleu': sacrebleu.__version__}
    for name, hyp, refs in CASES:
        data = {**header, 'hyp': hyp, 'refs': refs, **score_case(os.path.join(FIXTURES, hyp), [os.path.join(FIXTURES, r) for r in refs])}
        if name in SMOOTHING_CASES:
            data['smoothing'] = score_smoothings(os.path.join(FIXTURES, hyp), [os.path.join(FIXTURES, r) for r in refs])
        data['cli'] = []
        for case, fr2en_args, sacrebleu_args in CLI_RUNS:
            if case == name:
                text, js = run_cli(hyp, refs, sacrebleu_args)
                data['cli'].append({'fr2en': fr2en_args, 'sacrebleu': sacrebleu_args, 'text': text, 'json': js})
        write_json(f'{name}.json', data)
    write_json('unicode.json', {**header, 'regex': regex.__version__, 'unidata': __import__('unicodedata').unidata_version, **unicode_facts()})
    if os.path.isdir(PARALLEL):
        write_json('multi30k.json', {**header, **multi30k()})
    else:
        print(f'{PARALLEL} not found: multi30k.json left as it is')


if __name__ == '__main__':
    main()
