package org.transplant.archive;

import java.util.Set;

/**
 * The account archive: one uncompressed tar, opened with standard tools, of three entries in this order.
 * <ul>
 *   <li>{@code identity.json}, plain: the format version, the old identity (handle, guid, public key) so that a
 *       new pod can look the person up by WebFinger, the photo choice, and the size and SHA-256 of
 *       {@code data.pgp};
 *   <li>{@code identity.sig}: the base64 RSA-SHA256 signature of the exact bytes of {@code identity.json} by the
 *       account's private key (so it covers the plain part and, through the hash, the encrypted one);
 *   <li>{@code data.pgp}: OpenPGP, encrypted with the password (AES-256, integrity protected, iterated and salted
 *       SHA-256 S2K, which Debian stable's gpg opens), holding one literal {@code account.tar}: the export folder
 *       ({@link org.transplant.migration.api.FolderFormat}) with the account's private key as {@code key.pem}.
 * </ul>
 * {@code tar xf archive.tar && gpg --decrypt data.pgp | tar x} opens it by hand.
 */
public final class ArchiveFormat {

    /** The version this pod writes. */
    public static final String VERSION = "transplant-archive/1";

    /** Every version this pod reads; a newer pod keeps every older one here. */
    public static final Set<String> READABLE = Set.of(VERSION);

    public static final String IDENTITY = "identity.json";
    public static final String SIGNATURE = "identity.sig";
    public static final String DATA = "data.pgp";

    /** The name of the literal inside {@code data.pgp}. */
    public static final String INNER = "account.tar";

    public static final String SIGNATURE_ALGORITHM = "SHA256withRSA";

    /** The largest {@code identity.json} and {@code identity.sig} read, in bytes. */
    public static final int MAX_IDENTITY_BYTES = 64 * 1024;

    public static final int MAX_SIGNATURE_BYTES = 8 * 1024;

    /**
     * How much larger the unpacked account may be than {@code data.pgp}: JSON compresses some ten times, a
     * decompression bomb a thousand; past this ratio the archive is refused as a bomb.
     */
    public static final long MAX_UNPACK_RATIO = 100;

    /** The most files the encrypted part may hold (collections, account, manifest, key, photos). */
    public static final int MAX_ENTRIES = 500_000;

    /** The S2K count byte: 65011712 bytes hashed per password try, the most OpenPGP encodes. */
    public static final int S2K_COUNT = 0xff;

    private ArchiveFormat() {}
}
