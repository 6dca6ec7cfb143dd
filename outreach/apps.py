from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from anymail.signals import inbound, tracking

        from outreach import receivers

        inbound.connect(receivers.on_inbound, dispatch_uid="outreach.inbound")
        tracking.connect(receivers.on_tracking, dispatch_uid="outreach.tracking")

        # What this app keeps for a user, for the data export and account deletion.
        from accounts import user_data
        from outreach.eml_export import emails_eml
        from outreach.models import Draft, MessageTemplate, Outreach

        user_data.owned_model_register(Outreach, owner="user")
        user_data.owned_model_register(Draft, owner="user")
        user_data.owned_model_register(MessageTemplate, owner="user")
        user_data.export_file_register(
            name="emails/",
            description="Every email you sent or received, as .eml for a mail program.",
            write=emails_eml,
        )
