package org.transplant.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.bcpg.S2K;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyEncSessionPacket;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPDataValidationException;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEDataDecryptorFactoryBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;

/**
 * The archive's encrypted part as OpenPGP with a password, in the form Debian stable's gpg (2.2) opens: AES-256 in
 * an integrity-protected packet, the key drawn from the password by iterated and salted SHA-256 (gpg 2.2 knows no
 * Argon2 S2K), the content compressed. Reading accepts only that form: a hostile archive cannot ask for an Argon2
 * derivation of terabytes, leave out the integrity check, or hide a second layer.
 */
final class PasswordEncryption {

    private static final Provider BC = new BouncyCastleProvider();
    private static final int BUFFER = 1 << 16;

    private PasswordEncryption() {}

    /** A stream whose bytes land encrypted in {@code out}; closing it finishes the packets, not {@code out}. */
    static OutputStream encrypting(OutputStream out, char[] password, SecureRandom random) throws IOException {
        try {
            PGPEncryptedDataGenerator encryption =
                    new PGPEncryptedDataGenerator(new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                            .setWithIntegrityPacket(true)
                            .setSecureRandom(random)
                            .setProvider(BC));
            encryption.addMethod(new JcePBEKeyEncryptionMethodGenerator(
                            password, digests().get(HashAlgorithmTags.SHA256), ArchiveFormat.S2K_COUNT)
                    .setProvider(BC)
                    .setSecureRandom(random));
            OutputStream encrypted = encryption.open(out, new byte[BUFFER]);
            PGPCompressedDataGenerator compression = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZIP);
            OutputStream compressed = compression.open(encrypted, new byte[BUFFER]);
            PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
            OutputStream content =
                    literal.open(compressed, PGPLiteralData.BINARY, ArchiveFormat.INNER, new Date(), new byte[BUFFER]);
            return new FilterOutputStream(content) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    literal.close();
                    compression.close();
                    encryption.close();
                }
            };
        } catch (PGPException e) {
            throw new IOException(e);
        }
    }

    /**
     * Checks the head of the encrypted part without the password: one password packet (version 4, iterated and
     * salted S2K) followed by integrity-protected data. Reads only the first packets of {@code in}.
     */
    static void checkForm(InputStream in) {
        try {
            BCPGInputStream packets = new BCPGInputStream(in);
            packets.skipMarkerPackets();
            if (packets.nextPacketTag() != PacketTags.SYMMETRIC_KEY_ENC_SESSION) {
                throw unsupported("it is not encrypted with a password");
            }
            SymmetricKeyEncSessionPacket key = (SymmetricKeyEncSessionPacket) packets.readPacket();
            if (key.getVersion() != SymmetricKeyEncSessionPacket.VERSION_4
                    || key.getS2K().getType() != S2K.SALTED_AND_ITERATED) {
                throw unsupported("its password is turned into a key in a way this pod does not use");
            }
            if (packets.nextPacketTag() != PacketTags.SYM_ENC_INTEGRITY_PRO) {
                throw unsupported("it has more than one password, or no integrity check");
            }
        } catch (ArchiveRefused e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // BouncyCastle answers some hostile packets (an unknown packet version, S2K type) with its own
            // RuntimeException.
            throw ArchiveRefused.damaged(ArchiveFormat.DATA + " is not OpenPGP");
        }
    }

    /** The decrypted content of a part {@link #checkForm} accepted; read it to its end, then {@link Opened#verify}. */
    static Opened decrypting(InputStream in, char[] password) {
        try {
            JcaPGPObjectFactory packets = new JcaPGPObjectFactory(in);
            Object first = packets.nextObject();
            if (!(first instanceof PGPEncryptedDataList list)
                    || list.size() != 1
                    || !(list.get(0) instanceof PGPPBEEncryptedData encrypted)
                    || !encrypted.isIntegrityProtected()) {
                throw unsupported("it is not one password-encrypted, integrity-protected part");
            }
            InputStream clear;
            try {
                clear = encrypted.getDataStream(new JcePBEDataDecryptorFactoryBuilder(digests())
                        .setProvider(BC)
                        .build(password));
            } catch (PGPDataValidationException wrong) {
                throw wrongPassword();
            }
            Object inner = new JcaPGPObjectFactory(clear).nextObject();
            if (inner instanceof PGPCompressedData compressed) {
                inner = new JcaPGPObjectFactory(compressed.getDataStream()).nextObject();
            }
            if (!(inner instanceof PGPLiteralData literal)) {
                // A wrong password that passed the two-byte quick check decrypts to noise, which lands here.
                throw wrongPassword();
            }
            return new Opened(literal.getInputStream(), encrypted);
        } catch (PGPException | IOException | RuntimeException e) {
            if (e instanceof ArchiveRefused refused) {
                throw refused;
            }
            throw wrongPassword();
        }
    }

    /** The decrypted content, and the check that it is what was encrypted. */
    record Opened(InputStream content, PGPPBEEncryptedData encrypted) {

        /** After the content was read to its end: refuses it when the integrity check fails. */
        void verify() {
            try {
                if (!encrypted.verify()) {
                    throw tampered();
                }
            } catch (PGPException | IOException e) {
                throw tampered();
            }
        }
    }

    private static PGPDigestCalculatorProvider digests() throws PGPException {
        return new JcaPGPDigestCalculatorProviderBuilder().setProvider(BC).build();
    }

    static ArchiveRefused wrongPassword() {
        return new ArchiveRefused("wrong-password", "The password does not open this archive");
    }

    static ArchiveRefused tampered() {
        return new ArchiveRefused(
                "tampered", "The archive's encrypted part was changed after it was made: its integrity check fails");
    }

    private static ArchiveRefused unsupported(String why) {
        return new ArchiveRefused("damaged", "The archive's encrypted part cannot be opened here: " + why);
    }
}
