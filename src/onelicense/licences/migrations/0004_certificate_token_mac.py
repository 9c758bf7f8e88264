from django.db import migrations, models

CHUNK = 2000


def token_macs_fill(apps, schema_editor):
    """Give every certificate's stored token its MAC, if its signature is good under the key its
    kid names: verification takes a stored MAC as proof that the token is one the platform
    issued, so a token that reached the column some other way must not get one."""
    from onelicense.licences.keys import verifier_for
    from onelicense.licences.tokens import TokenError, claims_verify, token_mac, token_parse

    Certificate = apps.get_model("licences", "Certificate")
    SigningKey = apps.get_model("licences", "SigningKey")
    verifiers = {
        key.kid: verifier_for(key.algorithm, key.public_key_pem)
        for key in SigningKey.objects.filter(district__isnull=False)
    }
    rows = Certificate.objects.exclude(token="").only("id", "token").order_by("id")
    batch = []
    for certificate in rows.iterator(chunk_size=CHUNK):
        try:
            parsed = token_parse(certificate.token)
            verifier = verifiers.get(parsed.kid)
            if verifier is None:
                continue
            claims_verify(parsed, verifier)
        except TokenError:
            continue
        certificate.token_mac = token_mac(certificate.token)
        batch.append(certificate)
        if len(batch) == CHUNK:
            Certificate.objects.bulk_update(batch, ["token_mac"])
            batch = []
    Certificate.objects.bulk_update(batch, ["token_mac"])


class Migration(migrations.Migration):
    dependencies = [("licences", "0003_indexes_for_reports")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="token_mac",
            field=models.CharField(
                blank=True, default="", max_length=64, verbose_name="令牌校验码"
            ),
        ),
        migrations.RunPython(token_macs_fill, migrations.RunPython.noop),
    ]
