"""One audit chain per province: give every existing event its chain (its province, 0 for none) and
its place in it, and re-link the hashes chain by chain (core/audit.py explains the design).

Re-linking rewrites every hash, so it first checks the old national chain with the old rule and
refuses to go on if it is broken: a migration must not launder an edit. The old chain's last hash
is kept in a first event of the nationwide chain ("audit.rechain"), so whoever recorded it can
still check the history it sealed. Reversible: going back re-links one national chain in id order. The unique (chain, seq)
constraint comes in the next migration (PostgreSQL alters no table with updates pending in the transaction).
"""

import hashlib
import json

from django.db import migrations, models

GENESIS = "0" * 64
BATCH = 2000


def _digest(items):
    payload = json.dumps(items, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _content(ev):
    return [ev.at.isoformat(), ev.actor_id, ev.action, ev.object_type, ev.object_id, ev.province_id, ev.before,
            ev.after]


def _old_hash(ev, prev):
    return _digest([prev, *_content(ev)])


def _new_hash(ev, prev, chain, seq):
    return _digest([prev, chain, seq, *_content(ev)])


def _events(AuditEvent):
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last).order_by("id")[:BATCH])
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def _check_national(AuditEvent):
    prev, count = GENESIS, 0
    for ev in _events(AuditEvent):
        if ev.prev_hash != prev or _old_hash(ev, prev) != ev.hash:
            raise RuntimeError(f"audit chain broken at event #{ev.id}: investigate before migrating "
                               f"(`gandan audit verify` on the previous release names it)")
        prev, count = ev.hash, count + 1
    return prev, count


def _to_province_chains(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    old_head, count = _check_national(AuditEvent)
    if not count:
        return
    heads = {}
    seal = AuditEvent(at=max(AuditEvent.objects.values_list("at", flat=True)), actor_id=None, actor_label="",
                      action="audit.rechain", object_type="core.auditevent", object_id="", province_id=None,
                      before=None, after={"national_head": old_head, "events": count})
    seal.chain, seal.seq, seal.prev_hash = 0, 1, GENESIS
    seal.hash = _new_hash(seal, GENESIS, 0, 1)
    heads[0] = (1, seal.hash)
    changed = []
    for ev in _events(AuditEvent):
        chain = ev.province_id or 0
        seq, prev = heads.get(chain, (0, GENESIS))
        ev.chain, ev.seq, ev.prev_hash = chain, seq + 1, prev
        ev.hash = _new_hash(ev, prev, chain, seq + 1)
        heads[chain] = (ev.seq, ev.hash)
        changed.append(ev)
        if len(changed) >= BATCH:
            AuditEvent.objects.bulk_update(changed, ["chain", "seq", "prev_hash", "hash"])
            changed = []
    AuditEvent.objects.bulk_update(changed, ["chain", "seq", "prev_hash", "hash"])
    seal.save()


def _to_national_chain(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditEvent.objects.filter(action="audit.rechain").delete()
    prev, changed = GENESIS, []
    for ev in _events(AuditEvent):
        ev.prev_hash, ev.chain, ev.seq = prev, 0, 0
        ev.hash = prev = _old_hash(ev, prev)
        changed.append(ev)
        if len(changed) >= BATCH:
            AuditEvent.objects.bulk_update(changed, ["prev_hash", "hash", "chain", "seq"])
            changed = []
    AuditEvent.objects.bulk_update(changed, ["prev_hash", "hash", "chain", "seq"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_api_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.BigIntegerField(default=0, help_text="the province's id, 0 for events of no province"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(default=0, help_text="place in the chain, from 1"),
        ),
        migrations.RunPython(_to_province_chains, _to_national_chain),
    ]
