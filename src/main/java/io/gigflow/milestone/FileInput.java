package io.gigflow.milestone;

import io.gigflow.shared.FieldErrors;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * The rules for a file that travels in JSON (a milestone's attachment, a deliverable): a file
 * name, a content type from a short list of document, image and archive types, and the content
 * in base64, at most the configured size. Types a browser would run (HTML, SVG, scripts) are
 * refused, so a download can never become a page of ours.
 */
public final class FileInput {

    /** A file as it arrives in a request: its name, its content type and its content in base64. */
    public record FileRequest(String fileName, String contentType, String contentBase64) {
    }

    /** A checked file, ready to store. */
    record Upload(String fileName, String contentType, byte[] content, String sha256) {
    }

    static final Set<String> CONTENT_TYPES = Set.of(
            "application/pdf", "text/plain", "text/csv", "text/markdown", "application/json", "application/zip",
            "image/png", "image/jpeg", "image/gif", "image/webp",
            "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet");

    private FileInput() {
    }

    /** Checks the file under {@code field} (e.g. "attachment"); records each broken rule and returns null when any. */
    static Upload parse(String field, FileRequest file, long maxBytes, FieldErrors errors) {
        if (file == null) {
            return null;
        }
        int before = errors.list().size();
        String fileName = errors.requiredText(field + ".fileName", file.fileName(), 200);
        if (fileName != null && (fileName.matches(".*[/\\\\].*") || fileName.chars().anyMatch(Character::isISOControl))) {
            errors.add(field + ".fileName", "format", "must be a file name without path separators or control characters");
        }
        String contentType = errors.requiredText(field + ".contentType", file.contentType(), 100);
        if (contentType != null && !CONTENT_TYPES.contains(contentType.toLowerCase())) {
            errors.add(field + ".contentType", "oneOf", "must be one of " + CONTENT_TYPES.stream().sorted().toList()
                    + ", not \"" + contentType + "\"");
        }
        byte[] content = null;
        if (file.contentBase64() == null || file.contentBase64().isBlank()) {
            errors.add(field + ".contentBase64", "required", "is required, the file's content in base64");
        } else if (file.contentBase64().length() > maxBytes / 3 * 4 + 8) {
            errors.add(field + ".contentBase64", "size", "the file must be at most " + describe(maxBytes));
        } else {
            try {
                // line breaks are allowed (MIME style); any other character outside the alphabet is an error
                content = Base64.getDecoder().decode(file.contentBase64().replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                errors.add(field + ".contentBase64", "format", "must be base64 (RFC 4648)");
            }
            if (content != null && content.length == 0) {
                errors.add(field + ".contentBase64", "size", "the file is empty");
            } else if (content != null && content.length > maxBytes) {
                errors.add(field + ".contentBase64", "size", "the file must be at most " + describe(maxBytes) + " (was "
                        + content.length + " bytes)");
            }
        }
        if (errors.list().size() > before) {
            return null;
        }
        return new Upload(fileName, contentType.toLowerCase(), content, sha256(content));
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String describe(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
    }
}
