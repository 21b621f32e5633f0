"""The secret ballot as a sealed box of per-candidate counters (no row per vote), paper ballots with the
counting committee's figures, written votes with a scan, thresholds with their basis, the council's own
vote rule, the organisation's quorum, and a council term that cannot end before it starts.

Data: the choices of ballots still open move from the per-vote rows into the counters; thresholds
already stored keep "NĐ 98/2023 Đ30 k7" as their basis; a term that ended before it started is left
open-ended (the start date is kept)."""

import django.db.models.deletion
import thidua.awards.models
from django.db import migrations, models


def seal_open_ballots(apps, schema_editor):
    BallotItem = apps.get_model("awards", "BallotItem")
    BallotCount = apps.get_model("awards", "BallotCount")
    BallotVote = apps.get_model("awards", "BallotVote")
    for item in BallotItem.objects.filter(ballot__status="open"):
        votes = BallotVote.objects.filter(item=item)
        BallotCount.objects.create(
            item=item,
            agree=votes.filter(choice="agree").count(),
            disagree=votes.filter(choice="disagree").count(),
        )


def mark_bases(apps, schema_editor):
    BallotItem = apps.get_model("awards", "BallotItem")
    Council = apps.get_model("awards", "Council")
    BallotItem.objects.filter(threshold_pct__isnull=False).update(
        threshold_kind="law", threshold_basis="NĐ 98/2023 Đ30 k7"
    )
    BallotItem.objects.filter(threshold_pct__isnull=True).update(threshold_basis="Quy chế Hội đồng")
    Council.objects.filter(term_to__lt=models.F("term_from")).update(term_to=None)


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0001_initial'),
        ('org', '0002_search_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='BallotCount',
            fields=[
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='box', serialize=False, to='awards.ballotitem')),
                ('agree', models.PositiveSmallIntegerField(default=0)),
                ('disagree', models.PositiveSmallIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(seal_open_ballots, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='ballotvote',
            name='item',
        ),
        migrations.AddField(
            model_name='awardsettings',
            name='council_quorum',
            field=models.CharField(choices=[('qua_ban', 'Quá 1/2 tổng số thành viên'), ('hai_phan_ba', 'Từ 2/3 tổng số thành viên trở lên'), ('ba_phan_tu', 'Từ 3/4 tổng số thành viên trở lên'), ('tam_muoi', 'Từ 80% tổng số thành viên trở lên')], default='hai_phan_ba', max_length=12, verbose_name='số thành viên Hội đồng phải có mặt để biểu quyết'),
        ),
        migrations.AddField(
            model_name='ballot',
            name='close_reason',
            field=models.TextField(blank=True, verbose_name='lý do kết thúc sớm / hủy'),
        ),
        migrations.AddField(
            model_name='ballot',
            name='closed_early',
            field=models.BooleanField(default=False, verbose_name='Chủ tịch kết thúc trước khi mọi người có mặt bỏ phiếu'),
        ),
        migrations.AddField(
            model_name='ballot',
            name='counting_committee',
            field=models.JSONField(blank=True, default=list, verbose_name='Ban kiểm phiếu (Trưởng ban trước)'),
        ),
        migrations.AddField(
            model_name='ballot',
            name='issued',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='số phiếu phát ra'),
        ),
        migrations.AddField(
            model_name='ballot',
            name='mode',
            field=models.CharField(choices=[('electronic', 'Bỏ phiếu trên hệ thống'), ('paper', 'Bỏ phiếu giấy')], default='electronic', max_length=10, verbose_name='hình thức'),
        ),
        migrations.AddField(
            model_name='ballot',
            name='reason',
            field=models.TextField(blank=True, verbose_name='lý do bỏ phiếu lại'),
        ),
        migrations.AddField(
            model_name='ballot',
            name='returned',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='số phiếu thu vào'),
        ),
        migrations.AddField(
            model_name='ballot',
            name='valid',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='số phiếu hợp lệ'),
        ),
        migrations.AddField(
            model_name='ballot',
            name='vote_rule',
            field=models.CharField(choices=[('qua_ban', 'Quá 1/2 tổng số thành viên'), ('hai_phan_ba', 'Từ 2/3 tổng số thành viên trở lên'), ('ba_phan_tu', 'Từ 3/4 tổng số thành viên trở lên'), ('tam_muoi', 'Từ 80% tổng số thành viên trở lên')], default='qua_ban', max_length=12, verbose_name='tỷ lệ theo quy chế Hội đồng'),
        ),
        migrations.AddField(
            model_name='ballotitem',
            name='threshold_basis',
            field=models.CharField(blank=True, max_length=255, verbose_name='căn cứ pháp lý của ngưỡng'),
        ),
        migrations.AddField(
            model_name='ballotitem',
            name='threshold_kind',
            field=models.CharField(choices=[('law', 'Theo quy định'), ('assumed', 'Giả định, chưa xác nhận'), ('council', 'Theo quy chế Hội đồng')], default='council', max_length=8, verbose_name='căn cứ ngưỡng'),
        ),
        migrations.AddField(
            model_name='ballotvoter',
            name='scan',
            field=models.FileField(blank=True, upload_to=thidua.awards.models._scan_path, verbose_name='bản chụp phiếu gửi bằng văn bản'),
        ),
        migrations.AddField(
            model_name='council',
            name='vote_rule',
            field=models.CharField(choices=[('qua_ban', 'Quá 1/2 tổng số thành viên'), ('hai_phan_ba', 'Từ 2/3 tổng số thành viên trở lên'), ('ba_phan_tu', 'Từ 3/4 tổng số thành viên trở lên'), ('tam_muoi', 'Từ 80% tổng số thành viên trở lên')], default='qua_ban', max_length=12, verbose_name='tỷ lệ đồng ý theo quy chế Hội đồng (khi pháp luật không quy định)'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='quorum_rule',
            field=models.CharField(choices=[('qua_ban', 'Quá 1/2 tổng số thành viên'), ('hai_phan_ba', 'Từ 2/3 tổng số thành viên trở lên'), ('ba_phan_tu', 'Từ 3/4 tổng số thành viên trở lên'), ('tam_muoi', 'Từ 80% tổng số thành viên trở lên')], default='hai_phan_ba', max_length=12, verbose_name='số thành viên phải có mặt'),
        ),
        migrations.AlterField(
            model_name='ballot',
            name='status',
            field=models.CharField(choices=[('open', 'Đang bỏ phiếu'), ('closed', 'Đã kiểm phiếu'), ('cancelled', 'Đã hủy (không kiểm phiếu)')], default='open', max_length=10, verbose_name='trạng thái'),
        ),
        migrations.RunPython(mark_bases, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='council',
            constraint=models.CheckConstraint(condition=models.Q(('term_to__isnull', True), ('term_to__gte', models.F('term_from')), _connector='OR'), name='council_term_in_order'),
        ),
        migrations.DeleteModel(
            name='BallotVote',
        ),
    ]
