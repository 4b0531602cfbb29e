// Badge photo: a preview of the 3:4 frame the server will cut from the chosen picture, drawn
// as the sliders move (the same arithmetic as registration/signup/photos.py `_box`).
(function () {
  "use strict";
  var form = document.getElementById("photo-form");
  var canvas = document.getElementById("photo-preview");
  if (!form || !canvas) { return; }
  var input = form.querySelector("input[type='file']");
  var zoom = document.getElementById("zoom");
  var x = document.getElementById("x");
  var y = document.getElementById("y");
  var picture = null;

  function draw() {
    if (!picture) { return; }
    var width = picture.naturalWidth, height = picture.naturalHeight;
    var frameH = Math.min(height, width * 4 / 3) * 100 / Math.max(100, Math.min(+zoom.value, 400));
    var frameW = frameH * 3 / 4;
    var left = (width - frameW) * +x.value / 100;
    var top = (height - frameH) * +y.value / 100;
    var context = canvas.getContext("2d");
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(picture, left, top, frameW, frameH, 0, 0, canvas.width, canvas.height);
    canvas.hidden = false;
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) { canvas.hidden = true; picture = null; return; }
    var reader = new FileReader();
    reader.addEventListener("load", function () {
      var image = new Image();
      image.addEventListener("load", function () { picture = image; draw(); });
      image.src = reader.result;
    });
    reader.readAsDataURL(file);
  });
  [zoom, x, y].forEach(function (slider) { slider.addEventListener("input", draw); });
})();
