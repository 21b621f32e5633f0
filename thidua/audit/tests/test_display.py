def test_long_lists_are_cut_with_their_count():
    from thidua.audit.display import format_value

    text = format_value([f"0010850{i:05d}" for i in range(1000)])
    assert text.startswith("001085000000, 001085000001")
    assert text.endswith("(và 980 mục khác, tổng 1000)")
