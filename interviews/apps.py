from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self) -> None:
        # What this app keeps for a user, for the data export and account deletion.
        from accounts import user_data
        from interviews.models import (
            Application,
            Company,
            Contact,
            Interview,
            Invitation,
            Note,
            SpreadsheetImport,
        )
        from interviews.vcards import contacts_vcf

        user_data.owned_model_register(Company, owner="user")
        user_data.owned_model_register(Application, owner="user")
        user_data.owned_model_register(Contact, owner="user")
        user_data.owned_model_register(Interview, owner="application__user")
        user_data.owned_model_register(Note, owner="interview__application__user")
        user_data.owned_model_register(Invitation, owner="user")
        user_data.owned_model_register(SpreadsheetImport, owner="user")
        user_data.export_file_register(
            name="contacts.vcf",
            description="Your contacts as vCards, for an address book.",
            write=contacts_vcf,
        )
