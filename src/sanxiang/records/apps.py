from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Whole-process recording (执法全过程记录): ledger, evidence vault, archives.

    Knows nothing about cases: a subject is an opaque reference such as "case:42".
    """

    name = "sanxiang.records"
    label = "records"
    verbose_name = "执法记录"


    def ready(self) -> None:
        # Temporary upload files of processes that died mid-upload (crash, SIGKILL) are
        # removed at the next start; files of live processes are left alone.
        import logging

        from sanxiang.records.blobs import clean_temp_files

        try:
            removed = clean_temp_files()
        except OSError:
            logging.getLogger(__name__).warning("could not clean evidence temp files", exc_info=True)
        else:
            if removed:
                logging.getLogger(__name__).info("removed %d stale evidence temp files", len(removed))
