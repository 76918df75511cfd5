package org.transplant.diaspora;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code author_signature} of a diaspora* relayable (comment, like, poll participation), as diaspora_federation
 * makes and checks it: RSA PKCS#1 v1.5 with SHA-256 over the values named by the entity's {@code property_order},
 * joined with ";". The order is the one the author's pod signed in, which older pods (and Friendica) chose
 * differently, so it is taken from the export and never from the schema or the JSON key order.
 */
public final class RelayableSignature {

    private static final Set<String> SIGNATURES = Set.of("author_signature", "parent_author_signature");

    private RelayableSignature() {}

    /**
     * The text the author signed. Names the schema does not know are kept: the author's pod signed them. A missing
     * or null value counts as an empty string, as diaspora_federation's {@code signature_order} does.
     */
    public static String signedText(JsonNode entityData, List<String> propertyOrder) {
        return propertyOrder.stream()
                .filter(name -> !SIGNATURES.contains(name))
                .map(name -> valueOf(entityData.get(name)))
                .collect(Collectors.joining(";"));
    }

    /** Whether the signature is the author's; a bad, empty or unreadable one is a "no", never an exception. */
    public static boolean verify(String signedText, String signatureBase64, PublicKey key) {
        if (signedText == null || signatureBase64 == null || signatureBase64.isBlank() || key == null) {
            return false;
        }
        try {
            // Ruby's Base64.decode64 ignores line breaks, and old pods wrapped signatures at 60 columns.
            byte[] signature = Base64.getMimeDecoder().decode(signatureBase64);
            if (signature.length == 0) {
                return false;
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(signedText.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Whatever the export holds (bad padding, a key of another kind), the answer is "not signed by them".
            return false;
        }
    }

    /** A signature as diaspora_federation writes it (standard base64, no line breaks). */
    public static String sign(String signedText, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(signedText.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key", e);
        }
    }

    private static String valueOf(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        // Booleans as true/false, numbers as written; relayables carry no nested values.
        return value.asText();
    }
}
