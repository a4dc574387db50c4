"""Commendations move to the one register of decisions (campaigns' `Decision`, on no model): each row
becomes a decision of the cadre, and the proposal it answered names that decision."""

import django.db.models.deletion
from django.db import migrations, models


def into_the_register(apps, schema_editor):
    Commendation = apps.get_model("evaluation", "Commendation")
    Decision = apps.get_model("campaigns", "Decision")
    for c in Commendation.objects.order_by("pk").iterator():
        decision = Decision.objects.create(
            model=None, cadre_id=c.cadre_id, unit_id=c.unit_id, province_id=c.province_id, status="commended",
            number=c.number, date=c.date, level=c.level, reason=c.reason, recorded_by_id=c.recorded_by_id,
            recorded_at=c.recorded_at)
        if c.proposal_id:
            apps.get_model("evaluation", "TitleProposal").objects.filter(pk=c.proposal_id).update(decision=decision)


def out_of_the_register(apps, schema_editor):
    Commendation = apps.get_model("evaluation", "Commendation")
    Decision = apps.get_model("campaigns", "Decision")
    TitleProposal = apps.get_model("evaluation", "TitleProposal")
    for d in Decision.objects.filter(model__isnull=True).order_by("pk").iterator():
        proposal = TitleProposal.objects.filter(decision=d).first()
        Commendation.objects.create(province_id=d.province_id, unit_id=d.unit_id, cadre_id=d.cadre_id,
                                    proposal=proposal, number=d.number, date=d.date, level=d.level, reason=d.reason,
                                    recorded_by_id=d.recorded_by_id, recorded_at=d.recorded_at)
        TitleProposal.objects.filter(decision=d).update(decision=None)
        d.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0003_decision_of_a_cadre'),
        ('evaluation', '0003_sheet_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='titleproposal',
            name='decision',
            field=models.OneToOneField(blank=True, help_text="the commendation in the campaigns' register of decisions that awards it", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='proposal', to='campaigns.decision'),
        ),
        migrations.RunPython(into_the_register, out_of_the_register),
        migrations.DeleteModel(
            name='Commendation',
        ),
    ]
