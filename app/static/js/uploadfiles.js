/* Files of the upload page with the folder path each came in (what names an untagged file's
   author and album, as `flask catalog import` reads folders): a picked folder's
   webkitRelativePath, or a dropped folder walked through the DataTransfer entries API. */
var SetlistFiles = (function () {
  "use strict";

  function listed(fileList, withPaths) {
    return Array.prototype.map.call(fileList, function (file) {
      return { file: file, path: withPaths ? file.webkitRelativePath : "" };
    });
  }

  /* A dropped folder is walked through the entries API; its files keep their paths. */
  function walk(entries, done) {
    var found = [], pending = 1;
    function settle() {
      pending -= 1;
      if (pending === 0) {
        done(found);
      }
    }
    function visit(entry) {
      pending += 1;
      if (entry.isFile) {
        entry.file(function (file) {
          found.push({ file: file, path: entry.fullPath });
          settle();
        }, settle);
      } else if (entry.isDirectory) {
        var reader = entry.createReader();
        var more = function () {
          reader.readEntries(function (batch) {
            if (!batch.length) {
              settle();
              return;
            }
            batch.forEach(visit);
            more(); // readEntries gives at most 100 entries a call
          }, settle);
        };
        more();
      } else {
        settle();
      }
    }
    entries.forEach(visit);
    settle();
  }

  function dropped(transfer, take) {
    var items = transfer.items ? Array.prototype.slice.call(transfer.items) : [];
    // Entries must be taken during the drop event; the walk may finish later.
    var entries = items.map(function (item) {
      return item.kind === "file" && item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    }).filter(Boolean);
    if (!entries.length || !entries.some(function (entry) { return entry.isDirectory; })) {
      take(listed(transfer.files, false));
      return;
    }
    walk(entries, function (found) {
      found.sort(function (a, b) { return a.path < b.path ? -1 : a.path > b.path ? 1 : 0; });
      take(found);
    });
  }

  return { listed: listed, dropped: dropped };
})();
