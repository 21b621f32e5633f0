"""Unit kinds become data (thidua/org/sectors.yaml); the organisation gets its own row.

Existing trees (the BHXH demo) each get an `Organisation`: sector "bhxh" when the tree uses BHXH's
kinds, else "khac"; the codes already stored keep their meaning.
"""

import django.db.models.deletion
from django.db import migrations, models


def organisations_for_existing_trees(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    Organisation = apps.get_model("org", "Organisation")
    for root in Unit.objects.filter(parent__isnull=True):
        if Organisation.objects.filter(root=root).exists():
            continue
        tree = Unit.objects.filter(path__startswith=root.path)
        bhxh = tree.filter(kind__startswith="bhxh_").exists()
        Organisation.objects.create(root=root, sector="bhxh" if bhxh else "khac")


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_remove_clustermember_rank_published_rankings_are_the_source'),
    ]

    operations = [
        migrations.AlterField(
            model_name='cluster',
            name='organiser',
            field=models.CharField(choices=[('trung_uong', 'Hội đồng TĐKT Trung ương'), ('bo_nganh_tinh', 'Bộ, ngành, tỉnh'), ('don_vi', 'Cơ quan, đơn vị')], default='bo_nganh_tinh', max_length=15, verbose_name='cấp tổ chức'),
        ),
        migrations.AlterField(
            model_name='unit',
            name='kind',
            field=models.CharField(default='khac', max_length=20, verbose_name='loại đơn vị'),
        ),
        migrations.CreateModel(
            name='Organisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật lúc')),
                ('sector', models.CharField(max_length=20, verbose_name='lĩnh vực')),
                ('parent_body', models.CharField(blank=True, max_length=255, verbose_name='cơ quan chủ quản')),
                ('kind_labels', models.JSONField(blank=True, default=dict, verbose_name='tên riêng của các loại đơn vị')),
                ('root', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='organisation', to='org.unit', verbose_name='đơn vị gốc')),
            ],
            options={
                'verbose_name': 'tổ chức',
                'verbose_name_plural': 'tổ chức',
            },
        ),
        migrations.RunPython(organisations_for_existing_trees, migrations.RunPython.noop),
    ]
