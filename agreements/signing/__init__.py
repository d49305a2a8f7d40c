"""Electronic signing of PKs (PAdES, one incremental signature per party) and public
verification of the signed files. See docs/signing.md.

    service.sign_agreement(agreement, party, user, password) -> Signature
    service.signing_state(agreement, user) / panel_context(agreement, user)
    signers.get_signer() -> PKCS12Signer | BSrESigner      (the SIGNER_BACKEND setting)
    devkeys.create_dev_signing_keys(officials)             (development CA and keys)
"""
