def test_long_lists_are_cut_with_their_count():
    from thidua.audit.display import format_value

    text = format_value([f"0010850{i:05d}" for i in range(1000)])
    assert text.startswith("001085000000, 001085000001")
    assert text.endswith("(và 980 mục khác, tổng 1000)")


def test_a_decision_entry_names_the_award_and_formats_the_money():
    from thidua.audit.display import detail_lines

    lines = dict(
        detail_lines(
            {
                "number": "01/QĐ-BHXH",
                "award": "chien_si_thi_dua_co_so",
                "recipients": 1700,
                "total_vnd": 43010000,
                "route": "own_unit",
                "closed_early": False,
            },
            "decision.issued",
        )
    )
    assert lines["Danh hiệu, hình thức"] == "Chiến sĩ thi đua cơ sở"
    assert lines["Tổng tiền thưởng (đồng)"] == "43.010.000"
    assert lines["Số cá nhân, tập thể"] == "1.700"
    assert lines["Cấp quyết định"] == "Đơn vị tự quyết định"
    assert lines["Kết thúc trước khi đủ phiếu"] == "không"


def test_nested_rows_are_read_through_their_keys():
    from thidua.audit.display import detail_lines

    lines = dict(
        detail_lines(
            {
                "titles": [{"award": "tap_the_lao_dong_xuat_sac", "subject": "unit", "count": 1}],
                "ranks": [["BHXH-01", 1, "99.47"], ["BHXH-02", 2, "98.00"]],
                "final_score": "99.47",
                "unit_value": "hoan_thanh_xuat_sac",
                "kind": "chuyen_de",
            },
            "registration.saved",
        )
    )
    assert (
        lines["Danh hiệu đăng ký"]
        == "Danh hiệu, hình thức: Tập thể lao động xuất sắc; Đối tượng: Tập thể; Số lượng: 1"
    )
    assert lines["Thứ hạng"] == "BHXH-01, 1, 99.47; BHXH-02, 2, 98.00"
    assert lines["Điểm chính thức"] == "99,47"
    assert lines["Xếp loại đơn vị"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert lines["Loại"] == "Thi đua theo chuyên đề"


def test_a_key_reads_as_its_action_means_it():
    from thidua.audit.display import detail_lines

    assert detail_lines({"from": "running", "to": "under_review"}, "movement.review_opened") == [
        ("Từ trạng thái", "Đang triển khai"),
        ("Sang trạng thái", "Đang sơ kết, tổng kết"),
    ]
    assert detail_lines({"members": 5}, "ballot.opened") == [("Số thành viên Hội đồng", "5")]
    assert detail_lines({"members": ["A", "B"]}, "cluster.created") == [("Đơn vị thành viên", "A, B")]


def test_a_manual_candidate_entry_reads_the_engines_verdict_in_words():
    from thidua.audit.display import detail_lines

    lines = dict(detail_lines({"engine_verdict": "not_eligible", "justification": "Thành tích đột xuất"}))
    assert lines == {"Kết quả xét tự động": "Chưa đủ điều kiện", "Giải trình": "Thành tích đột xuất"}
