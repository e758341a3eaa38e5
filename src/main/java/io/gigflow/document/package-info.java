/**
 * Closing documents: PDFs made once per (reference, type), stored with their SHA-256 and
 * never changed, so what a party downloaded years ago can be proven to be what was issued.
 * Other features issue and list documents only through {@link io.gigflow.document.DocumentService};
 * the table, the renderer and the download endpoint, which shows a document to its parties
 * only, stay inside this package.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity"})
package io.gigflow.document;

import org.springframework.modulith.ApplicationModule;
