"""Portal pages of open data and statistics (开放数据、统计), the home page and officer cards."""

from django.urls import path

from sanxiang.portal import views_data

urlpatterns: list = [
    path("", views_data.home, name="home"),
    path("stats/", views_data.stats_page, name="stats"),
    path("stats.json", views_data.stats_json, name="stats-json"),
    path("data/", views_data.data_index, name="data"),
    path("data/dictionary/", views_data.data_dictionary, name="data-dictionary"),
    path("data/decisions.csv", views_data.data_csv, name="data-csv"),
    path("data/decisions.jsonl", views_data.data_jsonl, name="data-jsonl"),
    path("officers/<str:certificate_number>/card/", views_data.officer_card, name="officer-card"),
]
