/*
 * The area editor's camera: the rtsp-in nodes wired to the node (through wires and link nodes),
 * the select of them (the Camera setting picks one), the note on what the Camera setting means,
 * and the picture, fetched from the admin endpoint (nodes/rtsp-in/rtsp-in.ts); a blank 16:9 frame
 * while there is none.
 */
(function () {
  'use strict';
  const ns = (window.StoreAnalyticsAreas = window.StoreAnalyticsAreas || {});
  /** A blank stage when there is no picture: 16:9. */
  const BLANK = { width: 1600, height: 900 };
  /** While a deployed camera has no picture yet (409), ask again this often, this many times. */
  const RETRY_MS = 2000;
  const RETRIES = 30;

  /** The rtsp-in nodes upstream of `node`: through wires, and from `link in` nodes to their `link out`s. */
  function upstreamCameras(node) {
    const seen = new Set();
    const cameras = [];
    const queue = [node];
    while (queue.length > 0) {
      const n = queue.shift();
      if (!n || seen.has(n.id)) continue;
      seen.add(n.id);
      if (n.type === 'rtsp-in') {
        if (!n.d) cameras.push(n); // a disabled camera sends nothing
        continue;
      }
      RED.nodes.filterLinks({ target: n }).forEach((l) => queue.push(l.source));
      if (n.type === 'link in') (n.links || []).forEach((id) => queue.push(RED.nodes.node(id)));
    }
    return cameras;
  }

  /**
   * Fetches the camera's picture from the admin endpoint (nodes/rtsp-in/rtsp-in.ts) with the editor's
   * admin token (an <img src> cannot send it). Resolves an object URL; rejects with the endpoint's
   * words and its HTTP status.
   */
  function fetchFrame(camera) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const url =
        'store-analytics/frame/' +
        encodeURIComponent(camera.id) +
        '?url=' +
        encodeURIComponent(camera.url || '');
      xhr.open('GET', url);
      xhr.responseType = 'blob';
      const tokens = RED.settings.get('auth-tokens');
      if (tokens && tokens.access_token)
        xhr.setRequestHeader('Authorization', 'Bearer ' + tokens.access_token);
      const fail = (text, status) => {
        const err = new Error(text);
        err.status = status;
        reject(err);
      };
      xhr.onload = () => {
        if (xhr.status === 200) {
          resolve(URL.createObjectURL(xhr.response));
          return;
        }
        const status = xhr.status;
        const body = xhr.response && xhr.response.text ? xhr.response.text() : Promise.resolve('');
        body.then(
          (text) =>
            fail(
              status === 401 || status === 403 ? 'not allowed to read cameras' : text || 'HTTP ' + status,
              status,
            ),
          () => fail('HTTP ' + status, status),
        );
      };
      xhr.onerror = () => fail(ns.text.unreachable, 0);
      xhr.send();
    });
  }

  /**
   * The camera's side of the widget. `parts` (jQuery): picker, refresh, note, cameraNote,
   * cameraField, img, stage, message. `ui`: setSize(size) and render(). Returns showPicture() (to
   * load the picture) and destroy().
   */
  function attach(node, parts, ui) {
    const { picker, refresh, note, cameraNote, cameraField, img, stage, message } = parts;
    const TEXT = ns.text;
    const cameraIdOf = ns.cameraIdOf;
    let objectUrl = null;
    let loadSeq = 0;
    let retryTimer = null;
    let destroyed = false;

    const cameras = upstreamCameras(node);
    const cameraWanted = () => String(cameraField.val() || '').trim();

    function fillPicker() {
      picker.empty();
      cameras.forEach((c) => picker.append($('<option>').val(c.id).text(cameraIdOf(c))));
      picker.toggle(cameras.length > 1);
      refresh.toggle(cameras.length > 0);
      const match = cameras.find((c) => cameraIdOf(c) === cameraWanted());
      if (cameras.length > 0) picker.val((match || cameras[0]).id);
    }
    const currentCamera = () => cameras.find((c) => c.id === picker.val());

    /** What the Camera setting means for this drawing, beside the list. */
    function showCameraNote() {
      const wanted = cameraWanted();
      const ids = cameras.map(cameraIdOf);
      cameraNote.removeClass('sa-warning').text('');
      if (wanted && cameras.length > 0 && !ids.includes(wanted)) {
        cameraNote.addClass('sa-warning').text(TEXT.notWired(wanted) + ids.join(', '));
      } else if (cameras.length > 1) {
        const camera = currentCamera();
        cameraNote.text(wanted ? TEXT.oneCamera(wanted) : TEXT.everyCamera(camera ? cameraIdOf(camera) : ''));
      }
    }

    function showBlank(reason) {
      img.removeAttr('src');
      ui.setSize({ width: BLANK.width, height: BLANK.height });
      stage.addClass('sa-areas-blank');
      message.text(reason + ' ' + TEXT.blankAfter);
      ui.render();
    }

    function showPicture(attempt) {
      clearTimeout(retryTimer);
      const seq = ++loadSeq;
      const camera = currentCamera();
      if (!camera) {
        note.text('');
        showBlank(TEXT.noCamera);
        return;
      }
      const id = cameraIdOf(camera);
      note.text(id + ': ' + TEXT.loading);
      fetchFrame(camera).then(
        (url) => {
          if (destroyed || seq !== loadSeq) {
            URL.revokeObjectURL(url);
            return;
          }
          img.off('load error');
          img.one('load', () => {
            // The dialog closed while the picture decoded: nothing to draw, and the URL is not kept.
            if (destroyed) {
              URL.revokeObjectURL(url);
              return;
            }
            if (objectUrl && objectUrl !== url) URL.revokeObjectURL(objectUrl);
            objectUrl = url;
            const size = { width: img[0].naturalWidth, height: img[0].naturalHeight };
            ui.setSize(size);
            // The select names the camera when there are several.
            note.text((cameras.length > 1 ? '' : id + ' · ') + size.width + ' × ' + size.height);
            stage.removeClass('sa-areas-blank');
            ui.render();
          });
          img.one('error', () => {
            URL.revokeObjectURL(url);
            if (destroyed) return;
            note.text(id);
            showBlank(TEXT.blankBecause + 'the picture from ' + id + ' could not be shown.');
          });
          img.attr('src', url);
        },
        (err) => {
          if (destroyed || seq !== loadSeq) return;
          note.text(cameras.length > 1 ? '' : id);
          showBlank(TEXT.blankBecause + err.message + '.');
          // Deployed, but no picture yet (connecting): it comes by itself.
          if (err.status === 409 && (attempt || 0) < RETRIES) {
            retryTimer = setTimeout(() => showPicture((attempt || 0) + 1), RETRY_MS);
          }
        },
      );
    }

    picker.on('change', () => {
      // Several cameras: the picture chosen is the camera counted (a node counts one camera's door).
      const camera = currentCamera();
      if (camera && cameras.length > 1) cameraField.val(cameraIdOf(camera)).trigger('change');
      showCameraNote();
      showPicture();
    });
    refresh.on('click', () => showPicture());
    cameraField.on('input.sa-areas change.sa-areas', () => {
      const match = cameras.find((c) => cameraIdOf(c) === cameraWanted());
      if (match && match.id !== picker.val()) {
        picker.val(match.id);
        showPicture();
      }
      showCameraNote();
    });

    fillPicker();
    showCameraNote();
    return {
      showPicture: () => showPicture(),
      destroy() {
        destroyed = true;
        clearTimeout(retryTimer);
        cameraField.off('.sa-areas');
        if (objectUrl) URL.revokeObjectURL(objectUrl);
      },
    };
  }

  ns.camera = { BLANK, attach };
  ns.upstreamCameras = upstreamCameras;
})();
