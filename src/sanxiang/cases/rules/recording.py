"""Recording and procedure rules of activities (执法全过程记录), as data with citations."""

from __future__ import annotations

#: Acts that cannot be completed without a video record covering them (全程音像记录).
MANDATORY_VIDEO = {
    "seizure": "RULES.md R8.2: 查封扣押 全程音像记录 (SEED; GOV118)",
    "production_restriction": "RULES.md R8.2: 限产停产 全程音像记录 (SEED; GOV118)",
    "closure": "RULES.md R8.2: 停业关闭 全程音像记录 (SEED; GOV118)",
}

#: Acts for which audio-video recording is recommended (根据情况进行音像记录).
RECOMMENDED_VIDEO = {
    "inspection": "RULES.md R8.3: 现场执法 (GD-JL 第14条)",
    "evidence_collection": "RULES.md R8.3: 调查取证 (GD-JL 第14条)",
    "sampling": "RULES.md R8.3: 调查取证 (GD-JL 第14条)",
    "hearing": "RULES.md R8.3: 听证 (GD-JL 第14条)",
    "service": "RULES.md R8.3: 留置送达、公告送达 (GD-JL 第14条)",
}

#: On-site acts need at least this many officers holding valid certificates (行政处罚法 第42条).
MIN_OFFICERS = 2
MIN_OFFICERS_CITATION = "《中华人民共和国行政处罚法》第四十二条"

#: Acts that are on-site enforcement and so need two certified officers.
ON_SITE = frozenset({"inspection", "interview", "evidence_collection", "sampling", "seizure",
                     "production_restriction", "closure", "service"})


def video_required(kind: str) -> bool:
    return kind in MANDATORY_VIDEO


def video_recommended(kind: str) -> bool:
    return kind in RECOMMENDED_VIDEO
