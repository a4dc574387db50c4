import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0002_default_indicators'),
        ('org', '0004_merge_history_data'),
        ('people', '0004_signed_in_sessions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='cadre',
            field=models.ForeignKey(blank=True, help_text='the cadre commended, when the decision is on no model', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='people.cadre'),
        ),
        migrations.AddField(
            model_name='decision',
            name='reason',
            field=models.TextField(blank=True, help_text='why the cadre is commended'),
        ),
        migrations.AddField(
            model_name='decision',
            name='unit',
            field=models.ForeignKey(blank=True, help_text="the cadre's unit (for scoped reads), when on no model", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.adminunit'),
        ),
        migrations.AlterField(
            model_name='decision',
            name='model',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='campaigns.exemplarymodel'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.CheckConstraint(condition=models.Q(('model__isnull', False), models.Q(('cadre__isnull', False), ('unit__isnull', False), models.Q(('reason', ''), _negated=True)), _connector='OR'), name='decision_on_a_model_or_a_cadre'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.UniqueConstraint(condition=models.Q(('model__isnull', True)), fields=('province', 'number', 'cadre'), name='decision_cadre_number_unique'),
        ),
    ]
