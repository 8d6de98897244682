<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>AssistedPage</name>
    <message>
        <source>Type what each person tells you and tick the consent box once they agree. Enter saves and starts the next person; Shift+Tab from the first field reaches Undo.</source>
        <translation>اكتب ما يمليه عليك كل شخص، وضع علامة في مربع الموافقة بعد أن يوافق. يحفظ مفتاح Enter الإدخال وينتقل إلى الشخص التالي، ومن الحقل الأول يوصلك Shift+Tab إلى زر التراجع.</translation>
    </message>
    <message>
        <source>Typing for signers: %1</source>
        <translation>الإدخال نيابةً عن الموقّعين: %1</translation>
    </message>
</context>
<context>
    <name>AttentionSection</name>
    <message>
        <source>Needs attention</source>
        <translation>تحتاج إلى متابعة</translation>
    </message>
    <message>
        <source>Signatures the server refused, and why. Fix the cause (for example publish the campaign on the server), then send them again, or set them aside with a reason. Nothing is ever deleted.</source>
        <translation>التوقيعات التي رفضها الخادم وسبب الرفض. أصلح السبب (مثلاً انشر الحملة على الخادم) ثم أعد إرسالها، أو أجّلها مع ذكر السبب. لا يُحذف شيء أبداً.</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>أعد الإرسال</translation>
    </message>
    <message>
        <source>Set aside</source>
        <translation>تأجيل</translation>
    </message>
    <message>
        <source>Note (optional, no personal data)</source>
        <translation>ملاحظة (اختيارية، دون بيانات شخصية)</translation>
    </message>
    <message>
        <source>Select one or more rows first.</source>
        <translation>اختر صفاً واحداً أو أكثر أولاً.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) will be sent again at the next sync.</source>
        <translation>
            <numerusform>لن يُعاد إرسال أي توقيع.</numerusform>
            <numerusform>سيُعاد إرسال توقيع واحد في المزامنة التالية.</numerusform>
            <numerusform>سيُعاد إرسال توقيعين في المزامنة التالية.</numerusform>
            <numerusform>سيُعاد إرسال %Ln توقيعات في المزامنة التالية.</numerusform>
            <numerusform>سيُعاد إرسال %Ln توقيعاً في المزامنة التالية.</numerusform>
            <numerusform>سيُعاد إرسال %Ln توقيع في المزامنة التالية.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) set aside. The log keeps the reason.</source>
        <translation>
            <numerusform>لم يُؤجَّل أي توقيع.</numerusform>
            <numerusform>أُجِّل توقيع واحد. يحتفظ السجل بالسبب.</numerusform>
            <numerusform>أُجِّل توقيعان. يحتفظ السجل بالسبب.</numerusform>
            <numerusform>أُجِّلت %Ln توقيعات. يحتفظ السجل بالسبب.</numerusform>
            <numerusform>أُجِّل %Ln توقيعاً. يحتفظ السجل بالسبب.</numerusform>
            <numerusform>أُجِّل %Ln توقيع. يحتفظ السجل بالسبب.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AttractPage</name>
    <message>
        <source>Sign</source>
        <translation>وقّع</translation>
    </message>
    <message>
        <source>Read the letter and sign</source>
        <translation>اقرأ الرسالة ووقّع</translation>
    </message>
    <message>
        <source>Read the letter, then add your name. It takes about a minute.</source>
        <translation>اقرأ الرسالة، ثم أضف اسمك. يستغرق ذلك دقيقة تقريبًا.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s)</source>
        <translation>
            <numerusform>%Ln توقيع</numerusform>
            <numerusform>توقيع واحد</numerusform>
            <numerusform>توقيعان</numerusform>
            <numerusform>%Ln توقيعات</numerusform>
            <numerusform>%Ln توقيعًا</numerusform>
            <numerusform>%Ln توقيع</numerusform>
        </translation>
    </message>
    <message>
        <source>Help us reach %1.</source>
        <translation>ساعدنا على بلوغ %1 توقيع.</translation>
    </message>
</context>
<context>
    <name>CampaignStep</name>
    <message>
        <source>Which petition will this device collect signatures for?</source>
        <translation>لأي عريضة سيجمع هذا الجهاز التوقيعات؟</translation>
    </message>
    <message>
        <source>Import a campaign from a folder or a zip file…</source>
        <translation>استيراد حملة من مجلد أو ملف zip…</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>الحملة</translation>
    </message>
    <message>
        <source>Imported: %1.</source>
        <translation>تم الاستيراد: %1.</translation>
    </message>
    <message>
        <source>Already imported: %1.</source>
        <translation>مستوردة من قبل: %1.</translation>
    </message>
</context>
<context>
    <name>CampaignsSection</name>
    <message>
        <source>Campaigns</source>
        <translation>الحملات</translation>
    </message>
    <message>
        <source>Print paper sheets…</source>
        <translation>طباعة أوراق التوقيع…</translation>
    </message>
    <message>
        <source>Import a campaign…</source>
        <translation>استيراد حملة…</translation>
    </message>
    <message>
        <source>Installed campaign versions</source>
        <translation>إصدارات الحملات المثبتة</translation>
    </message>
    <message>
        <source>Active campaign</source>
        <translation>الحملة النشطة</translation>
    </message>
    <message>
        <source>Default language</source>
        <translation>اللغة الافتراضية</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>احفظ</translation>
    </message>
    <message>
        <source>%1, version %2: the server publishes other texts under this version number. This device keeps its own, so every signature still records the text its signer saw. Ask the campaign&apos;s organisers to publish their texts as a new version.</source>
        <translation>%1، النسخة %2: ينشر الخادم نصوصًا أخرى تحت رقم النسخة هذا. يحتفظ هذا الجهاز بنصوصه، فيبقى كل توقيع مسجِّلًا النص الذي رآه صاحبه. اطلب من منظّمي الحملة نشر نصوصهم كنسخة جديدة.</translation>
    </message>
    <message>
        <source>%1, version %2: set aside. The server this device is enrolled with does not vouch for it, so no new signatures are taken on it (those made on it are kept and sent). Tell the server&apos;s operator.</source>
        <translation>%1، الإصدار %2: موضوع جانبًا. الخادم الذي سُجّل فيه هذا الجهاز لا يضمنه، لذلك لا تُجمع عليه توقيعات جديدة (التوقيعات التي جُمعت عليه محفوظة وتُرسل). أبلغ مشغّل الخادم.</translation>
    </message>
    <message>
        <source>%1, version %2: not installed. The server this device is enrolled with did not vouch for it (someone on the network may have added it). Tell the server&apos;s operator.</source>
        <translation>%1، الإصدار %2: لم يُثبَّت. الخادم الذي سُجّل فيه هذا الجهاز لم يضمنه (ربما أضافه أحد على الشبكة). أبلغ مشغّل الخادم.</translation>
    </message>
    <message>
        <source>%1, version %2: imported from a file and not verified by a server. Check its texts before signers use it.</source>
        <translation>%1، الإصدار %2: مستورد من ملف ولم يتحقق منه أي خادم. راجع نصوصه قبل أن يستخدمه الموقّعون.</translation>
    </message>
    <message>
        <source>This campaign seals its signers&apos; details and this device has no key for it: nobody can sign here. Enroll the device with the campaign&apos;s server (Settings): the key comes with the enrollment.</source>
        <translation>تُشفِّر هذه الحملة بيانات الموقّعين، ولا يملك هذا الجهاز مفتاحها: لا يمكن لأحد التوقيع هنا. اربط الجهاز بخادم الحملة (الإعدادات): يصل المفتاح مع التسجيل.</translation>
    </message>
    <message>
        <source>Sealed: signers&apos; details are encrypted for the server (key %1) as they are saved; this device cannot read them back.</source>
        <translation>مُشفَّرة: تُشفَّر بيانات الموقّعين للخادم (المفتاح %1) لحظة حفظها، ولا يستطيع هذا الجهاز قراءتها بعد ذلك.</translation>
    </message>
    <message>
        <source>Not sealed: this campaign keeps signers&apos; details readable on this device until they are sent and purged.</source>
        <translation>غير مُشفَّرة: تبقى بيانات الموقّعين في هذه الحملة مقروءة على هذا الجهاز إلى أن تُرسَل وتُحذَف.</translation>
    </message>
    <message>
        <source>Not sealed yet: signers&apos; details stay readable on this device until it is enrolled with a server. Enroll it before the event (Settings).</source>
        <translation>غير مُشفَّرة بعد: تبقى بيانات الموقّعين مقروءة على هذا الجهاز إلى أن يُربَط بخادم. اربطه قبل الفعالية (الإعدادات).</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>حُفظ.</translation>
    </message>
    <message>
        <source>Imported: %1. Choose it above and save to collect for it.</source>
        <translation>تم الاستيراد: %1. اخترها في الأعلى واحفظ لجمع التوقيعات لها.</translation>
    </message>
    <message>
        <source>Already imported: %1.</source>
        <translation>مستوردة من قبل: %1.</translation>
    </message>
</context>
<context>
    <name>Crowd</name>
    <message>
        <source>Another program already uses this port. Choose another port.</source>
        <translation>برنامج آخر يستخدم هذا المنفذ. اختر منفذًا آخر.</translation>
    </message>
    <message>
        <source>This computer is not on that network any more. Check the Wi-Fi, then choose the address again.</source>
        <translation>لم يعد هذا الحاسوب متصلًا بتلك الشبكة. تحقّق من الواي فاي، ثم اختر العنوان من جديد.</translation>
    </message>
    <message>
        <source>This port is not allowed for the app. Choose a port above 1024.</source>
        <translation>لا يُسمح للتطبيق باستخدام هذا المنفذ. اختر منفذًا أعلى من 1024.</translation>
    </message>
    <message>
        <source>The campaign is not installed on this device.</source>
        <translation>الحملة غير مثبّتة على هذا الجهاز.</translation>
    </message>
    <message>
        <source>Choose the network address the phones reach this device on.</source>
        <translation>اختر عنوان الشبكة الذي تصل منه الهواتف إلى هذا الجهاز.</translation>
    </message>
    <message>
        <source>The phone service stopped unexpectedly. Turn it on again.</source>
        <translation>توقفت خدمة الهواتف على نحو غير متوقع. شغّلها من جديد.</translation>
    </message>
    <message>
        <source>The phone service did not start. Turn it on again.</source>
        <translation>لم تبدأ خدمة الهواتف. شغّلها من جديد.</translation>
    </message>
</context>
<context>
    <name>CrowdCodes</name>
    <message>
        <source>1. Join the Wi-Fi</source>
        <translation>١. انضمّ إلى شبكة الواي فاي</translation>
    </message>
    <message>
        <source>2. Open the petition</source>
        <translation>٢. افتح العريضة</translation>
    </message>
    <message>
        <source>Open the petition</source>
        <translation>افتح العريضة</translation>
    </message>
    <message>
        <source>Wi-Fi: %1</source>
        <translation>الواي فاي: %1</translation>
    </message>
    <message>
        <source>Password: %1</source>
        <translation>كلمة المرور: %1</translation>
    </message>
    <message>
        <source>Point your phone&apos;s camera at code 1 to join this stand&apos;s Wi-Fi, then at code 2 to open the petition.</source>
        <translation>وجّه كاميرا هاتفك إلى الرمز ١ للانضمام إلى شبكة الواي فاي الخاصة بهذا الجناح، ثم إلى الرمز ٢ لفتح العريضة.</translation>
    </message>
    <message>
        <source>Point your phone&apos;s camera at the code to open the petition.</source>
        <translation>وجّه كاميرا هاتفك إلى الرمز لفتح العريضة.</translation>
    </message>
    <message>
        <source>Read the letter and sign on your own phone: no app, no internet needed.</source>
        <translation>اقرأ الرسالة ووقّع من هاتفك: لا حاجة إلى تطبيق ولا إلى إنترنت.</translation>
    </message>
</context>
<context>
    <name>CrowdPoster</name>
    <message>
        <source>Sign this petition on your phone</source>
        <translation>وقّع هذه العريضة من هاتفك</translation>
    </message>
    <message>
        <source>No camera? Join the Wi-Fi, then type this address:</source>
        <translation>لا توجد كاميرا؟ انضمّ إلى شبكة الواي فاي، ثم اكتب هذا العنوان:</translation>
    </message>
</context>
<context>
    <name>DeviceStep</name>
    <message>
        <source>Device name</source>
        <translation>اسم الجهاز</translation>
    </message>
    <message>
        <source>What should this device be called?</source>
        <translation>ما الاسم الذي يُعطى لهذا الجهاز؟</translation>
    </message>
    <message>
        <source>e.g. Courthouse table 1</source>
        <translation>مثلاً: طاولة المحكمة 1</translation>
    </message>
    <message>
        <source>The name appears in exports, hand-off files and on the server, so that you know which device collected what. Name a place or a table, never a person.</source>
        <translation>يظهر الاسم في ملفات التصدير وملفات التسليم وعلى الخادم، لتعرف أي جهاز جمع ماذا. سمِّ مكاناً أو طاولة، لا شخصاً أبداً.</translation>
    </message>
    <message>
        <source>This device</source>
        <translation>هذا الجهاز</translation>
    </message>
</context>
<context>
    <name>EnrollmentBox</name>
    <message>
        <source>K7QM-2XPA-9RTF, or paste the text of the QR code</source>
        <translation>K7QM-2XPA-9RTF، أو الصق نص رمز QR</translation>
    </message>
    <message>
        <source>Enroll this device</source>
        <translation>سجّل هذا الجهاز</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>جارٍ التسجيل…</translation>
    </message>
    <message>
        <source>Enrolled with %1 as %2.</source>
        <translation>تم التسجيل لدى %1 باسم %2.</translation>
    </message>
</context>
<context>
    <name>Entry</name>
    <message>
        <source>Nothing was saved: this petition encrypts the signers&apos; details for the campaign&apos;s server, and this device has not received that key yet. Nothing typed is lost. Connect the device to the server (panel, Settings) and save again.</source>
        <translation>لم يُحفظ شيء: هذه العريضة تشفّر بيانات الموقّعين لخادم الحملة، ولم يتلقَّ هذا الجهاز مفتاح التشفير بعد. لم يضِع شيء مما كُتب. اربط الجهاز بالخادم (اللوحة، الإعدادات) ثم احفظ من جديد.</translation>
    </message>
    <message>
        <source>Nothing was saved: the database on this device cannot be written (is the disk full?). Nothing typed is lost.</source>
        <translation>لم يُحفظ شيء: تتعذّر الكتابة في قاعدة البيانات على هذا الجهاز (هل القرص ممتلئ؟). لم يضِع شيء مما كُتب.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>الوقت</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>الورقة</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>التفاصيل</translation>
    </message>
</context>
<context>
    <name>EntryForm</name>
    <message>
        <source>Handwritten signature</source>
        <translation>التوقيع بخط اليد</translation>
    </message>
</context>
<context>
    <name>EntryPage</name>
    <message>
        <source>Back to the panel</source>
        <translation>العودة إلى اللوحة</translation>
    </message>
    <message>
        <source>Save (Enter)</source>
        <translation>احفظ (Enter)</translation>
    </message>
    <message>
        <source>Save this entry</source>
        <translation>احفظ هذا الإدخال</translation>
    </message>
    <message>
        <source>Undo the last entry</source>
        <translation>تراجع عن آخر إدخال</translation>
    </message>
    <message>
        <source>Last entries on this screen</source>
        <translation>آخر الإدخالات على هذه الشاشة</translation>
    </message>
    <message>
        <source>Kept on this screen only, and wiped when it is left idle.</source>
        <translation>تظهر على هذه الشاشة فقط، وتُمحى إذا تُركت دون استخدام.</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>حُفظ: %1</translation>
    </message>
    <message>
        <source>That entry cannot be withdrawn any more.</source>
        <translation>لم يعد بالإمكان سحب هذا الإدخال.</translation>
    </message>
    <message>
        <source>Withdrawn: %1</source>
        <translation>سُحب: %1</translation>
    </message>
    <message>
        <source>Not saved: please check what is marked.</source>
        <translation>لم يُحفظ: يُرجى مراجعة ما هو مُعلَّم.</translation>
    </message>
    <message>
        <source>Not saved.</source>
        <translation>لم يُحفظ.</translation>
    </message>
</context>
<context>
    <name>EventStep</name>
    <message>
        <source>Where are you collecting signatures today? Every signature records its event. Events can also be added and chosen later in the coordinator&apos;s panel (Events).</source>
        <translation>أين تجمعون التوقيعات اليوم؟ يسجّل كل توقيع فعاليته. ويمكن أيضاً إضافة الفعاليات واختيارها لاحقاً في لوحة المنسّق (الفعاليات).</translation>
    </message>
    <message>
        <source>Event name</source>
        <translation>اسم الفعالية</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>المكان</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>التاريخ</translation>
    </message>
    <message>
        <source>e.g. Vigil at the courthouse</source>
        <translation>مثلاً: وقفة أمام المحكمة</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>اختياري</translation>
    </message>
    <message>
        <source>In kiosk mode the coordinator&apos;s panel is hidden from signers: hold the top-left corner of the screen for %1 seconds, then type the coordinator PIN.</source>
        <translation>في وضع الكشك تكون لوحة المنسّق مخفية عن الموقّعين: اضغط مطوّلاً على الزاوية العليا اليسرى من الشاشة لمدة %1 ثوانٍ، ثم اكتب رمز PIN الخاص بالمنسّق.</translation>
    </message>
    <message>
        <source>Today&apos;s event (optional)</source>
        <translation>فعالية اليوم (اختياري)</translation>
    </message>
    <message>
        <source>Give the event a name, or Skip to go without one.</source>
        <translation>أعطِ الفعالية اسماً، أو اختر «تخطٍّ» للمتابعة بلا فعالية.</translation>
    </message>
</context>
<context>
    <name>EventsSection</name>
    <message>
        <source>Events</source>
        <translation>الفعاليات</translation>
    </message>
    <message>
        <source>Every new signature records the active event: where and when it was gathered.</source>
        <translation>يسجّل كل توقيع جديد الفعالية النشطة: أين ومتى جُمع.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>المكان</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>التاريخ</translation>
    </message>
    <message>
        <source>Save as a new event</source>
        <translation>احفظ كفعالية جديدة</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>احفظ التغييرات</translation>
    </message>
    <message>
        <source>Make active</source>
        <translation>اجعلها نشطة</translation>
    </message>
    <message>
        <source>No event</source>
        <translation>بلا فعالية</translation>
    </message>
    <message>
        <source>An event needs a name.</source>
        <translation>تحتاج الفعالية إلى اسم.</translation>
    </message>
    <message>
        <source>Saved. New signatures now record this event.</source>
        <translation>حُفظت. تسجّل التوقيعات الجديدة هذه الفعالية الآن.</translation>
    </message>
    <message>
        <source>Choose an event in the list first.</source>
        <translation>اختر فعالية من القائمة أولاً.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>حُفظ.</translation>
    </message>
    <message>
        <source>New signatures now record this event.</source>
        <translation>تسجّل التوقيعات الجديدة هذه الفعالية الآن.</translation>
    </message>
    <message>
        <source>New signatures record no event.</source>
        <translation>لا تسجّل التوقيعات الجديدة أي فعالية.</translation>
    </message>
</context>
<context>
    <name>HourChart</name>
    <message>
        <source>No signatures yet today</source>
        <translation>لا توقيعات اليوم بعد</translation>
    </message>
</context>
<context>
    <name>IdleCountdown</name>
    <message>
        <source>Still there?</source>
        <translation>هل ما زلت هنا؟</translation>
    </message>
    <message>
        <source>Yes, I am still here</source>
        <translation>نعم، ما زلت هنا</translation>
    </message>
    <message numerus="yes">
        <source>To protect your privacy, this screen will be cleared in %Ln second(s).</source>
        <translation>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال %Ln ثانية.</numerusform>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال ثانية واحدة.</numerusform>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال ثانيتين.</numerusform>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال %Ln ثوانٍ.</numerusform>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال %Ln ثانية.</numerusform>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال %Ln ثانية.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KeyboardDock</name>
    <message>
        <source>On-screen keyboard</source>
        <translation>لوحة المفاتيح على الشاشة</translation>
    </message>
</context>
<context>
    <name>LanguageStep</name>
    <message>
        <source>Welcome. A few questions and this device is ready to collect signatures. Which language should it start in?</source>
        <translation>أهلاً بك. بضعة أسئلة ويصبح هذا الجهاز جاهزاً لجمع التوقيعات. بأي لغة يبدأ؟</translation>
    </message>
    <message>
        <source>Signers can switch between English, Arabic and German at any moment.</source>
        <translation>يستطيع الموقّعون التبديل بين الإنجليزية والعربية والألمانية في أي لحظة.</translation>
    </message>
    <message>
        <source>Set up this device</source>
        <translation>تهيئة هذا الجهاز</translation>
    </message>
</context>
<context>
    <name>LetterPage</name>
    <message>
        <source>Petition letter</source>
        <translation>نص العريضة</translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation>المنسّق</translation>
    </message>
    <message>
        <source>Other petitions</source>
        <translation>عرائض أخرى</translation>
    </message>
    <message>
        <source>Sign the letter</source>
        <translation>وقّع الرسالة</translation>
    </message>
    <message>
        <source>Sign on your phone</source>
        <translation>وقّع من هاتفك</translation>
    </message>
    <message>
        <source>Read the full letter on your phone</source>
        <translation>اقرأ الرسالة كاملةً على هاتفك</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
            <numerusform>توقيع واحد على هذا الجهاز</numerusform>
            <numerusform>توقيعان على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعات على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعًا على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogSection</name>
    <message>
        <source>Log</source>
        <translation>السجل</translation>
    </message>
    <message>
        <source>Enrollment, syncs, exports, purges, wrong PINs and set-asides. The log holds no personal data.</source>
        <translation>التسجيل والمزامنات والتصدير والحذف والرموز الخاطئة والتأجيلات. لا يحتوي السجل على بيانات شخصية.</translation>
    </message>
    <message>
        <source>Copy diagnostics</source>
        <translation>نسخ تقرير التشخيص</translation>
    </message>
    <message>
        <source>Save diagnostics…</source>
        <translation>حفظ تقرير التشخيص…</translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>حفظ تقرير التشخيص</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>ملفات نصية (*.txt)</translation>
    </message>
    <message>
        <source>Diagnostics copied. Paste them into a message to whoever helps you with this device: they hold no personal data.</source>
        <translation>نُسخ تقرير التشخيص. ألصقه في رسالة إلى من يساعدك في هذا الجهاز: لا يحتوي على أي بيانات شخصية.</translation>
    </message>
    <message>
        <source>Diagnostics saved to %1. They hold no personal data.</source>
        <translation>حُفظ تقرير التشخيص في %1. لا يحتوي على أي بيانات شخصية.</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>لم ينجح ذلك: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Signing is paused on this device</source>
        <translation>التوقيع متوقّف مؤقتًا على هذا الجهاز</translation>
    </message>
    <message>
        <source>This petition protects the names of everyone who signs by encrypting them for the campaign&apos;s server, and this device has not received that key yet. Please ask a volunteer.</source>
        <translation>تحمي هذه العريضة أسماء جميع الموقّعين بتشفيرها لخادم الحملة، ولم يتلقَّ هذا الجهاز مفتاح التشفير بعد. يُرجى التوجّه إلى أحد المتطوعين.</translation>
    </message>
    <message>
        <source>Coordinator: open the panel and enroll this device with the campaign&apos;s server (Settings, Server and enrollment): the key comes with the enrollment.</source>
        <translation>للمنسّق: افتح لوحة التحكم واربط هذا الجهاز بخادم الحملة (الإعدادات، الخادم والتسجيل): يصل المفتاح مع التسجيل.</translation>
    </message>
    <message>
        <source>Petition Kiosk</source>
        <translation>كشك العرائض</translation>
    </message>
    <message>
        <source>Signing is paused on this device: this petition must encrypt your details and the key is missing. Nothing you typed is lost: please tell a volunteer.</source>
        <translation>التوقيع متوقّف مؤقتًا على هذا الجهاز: يجب أن تُشفَّر بياناتك لهذه العريضة، ومفتاح التشفير غير موجود. لم يضِع شيء مما كتبته: يُرجى إبلاغ أحد المتطوعين.</translation>
    </message>
    <message>
        <source>Your signature could not be saved on this device. Nothing you typed is lost: please tell a volunteer, then try again.</source>
        <translation>تعذّر حفظ توقيعك على هذا الجهاز. لم يضِع شيء مما كتبته: يُرجى إبلاغ أحد المتطوعين، ثم المحاولة مرة أخرى.</translation>
    </message>
</context>
<context>
    <name>Notice</name>
    <message>
        <source>OK</source>
        <translation>موافق</translation>
    </message>
</context>
<context>
    <name>OverviewSection</name>
    <message>
        <source>Overview</source>
        <translation>نظرة عامة</translation>
    </message>
    <message>
        <source>Signatures per hour, today</source>
        <translation>التوقيعات في كل ساعة، اليوم</translation>
    </message>
    <message>
        <source>Type for people in a queue</source>
        <translation>الإدخال نيابةً عن المنتظرين</translation>
    </message>
    <message>
        <source>Type in paper sheets</source>
        <translation>إدخال أوراق التوقيع</translation>
    </message>
    <message>
        <source>signed today</source>
        <translation>وقّعوا اليوم</translation>
    </message>
    <message>
        <source>at this event</source>
        <translation>في هذه الفعالية</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>تنتظر الإرسال</translation>
    </message>
    <message>
        <source>sent to the server</source>
        <translation>أُرسلت إلى الخادم</translation>
    </message>
    <message>
        <source>need attention</source>
        <translation>تحتاج إلى متابعة</translation>
    </message>
    <message>
        <source>set aside</source>
        <translation>مؤجَّلة</translation>
    </message>
    <message>
        <source>No active event. Choose one under Events.</source>
        <translation>لا فعالية نشطة. اختر واحدة من الفعاليات.</translation>
    </message>
    <message>
        <source>Active event: %1</source>
        <translation>الفعالية النشطة: %1</translation>
    </message>
    <message>
        <source>%1: %2 today, %3 at this event</source>
        <translation>%1: %2 اليوم، %3 في هذه الفعالية</translation>
    </message>
    <message>
        <source>the server counts %1</source>
        <translation>يعدّ الخادم %1</translation>
    </message>
    <message>
        <source>Last sync: never</source>
        <translation>آخر مزامنة: لم تحدث بعد</translation>
    </message>
    <message>
        <source>Last sync: %1, %2, %3 sent</source>
        <translation>آخر مزامنة: %1، %2، أُرسل %3</translation>
    </message>
    <message>
        <source>Device clock: not checked by the server yet</source>
        <translation>ساعة الجهاز: لم يتحقق منها الخادم بعد</translation>
    </message>
    <message>
        <source>Device clock: right (as the server saw it at the last sync)</source>
        <translation>ساعة الجهاز: مضبوطة (كما رآها الخادم في آخر مزامنة)</translation>
    </message>
    <message numerus="yes">
        <source>Device clock: %Ln second(s) behind the server</source>
        <translation>
            <numerusform>ساعة الجهاز: متأخرة %Ln ثانية عن الخادم</numerusform>
            <numerusform>ساعة الجهاز: متأخرة ثانية واحدة عن الخادم</numerusform>
            <numerusform>ساعة الجهاز: متأخرة ثانيتين عن الخادم</numerusform>
            <numerusform>ساعة الجهاز: متأخرة %Ln ثوانٍ عن الخادم</numerusform>
            <numerusform>ساعة الجهاز: متأخرة %Ln ثانية عن الخادم</numerusform>
            <numerusform>ساعة الجهاز: متأخرة %Ln ثانية عن الخادم</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Device clock: %Ln second(s) ahead of the server</source>
        <translation>
            <numerusform>ساعة الجهاز: متقدمة %Ln ثانية على الخادم</numerusform>
            <numerusform>ساعة الجهاز: متقدمة ثانية واحدة على الخادم</numerusform>
            <numerusform>ساعة الجهاز: متقدمة ثانيتين على الخادم</numerusform>
            <numerusform>ساعة الجهاز: متقدمة %Ln ثوانٍ على الخادم</numerusform>
            <numerusform>ساعة الجهاز: متقدمة %Ln ثانية على الخادم</numerusform>
            <numerusform>ساعة الجهاز: متقدمة %Ln ثانية على الخادم</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Panel</name>
    <message>
        <source>No.</source>
        <translation>رقم</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>الحملة</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>تاريخ التوقيع</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>السبب</translation>
    </message>
    <message>
        <source>When</source>
        <translation>متى</translation>
    </message>
    <message>
        <source>What</source>
        <translation>ماذا</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>التفاصيل</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>انتهت</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>النتيجة</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>أُرسلت</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>مكررة</translation>
    </message>
    <message>
        <source>Need attention</source>
        <translation>تحتاج إلى متابعة</translation>
    </message>
    <message>
        <source>Still pending</source>
        <translation>ما زالت تنتظر</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>الإصدار</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>المصدر</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>تاريخ التثبيت</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>اللغات</translation>
    </message>
    <message>
        <source>Not reviewed by a native speaker yet: %1. Until then the form shows the English consent text under the translation.</source>
        <translation>لم يراجعها متحدّث أصلي بعد: %1. وحتى ذلك الحين يعرض النموذج نص الموافقة الإنجليزي تحت الترجمة.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>، </translation>
    </message>
    <message>
        <source>The server already has a different signature with the same id. The server keeps its copy.</source>
        <translation>لدى الخادم توقيع مختلف بالمعرّف نفسه. يحتفظ الخادم بنسخته.</translation>
    </message>
    <message>
        <source>The campaign is closed on the server and takes no more signatures.</source>
        <translation>الحملة مغلقة على الخادم ولا تقبل توقيعات أخرى.</translation>
    </message>
    <message>
        <source>The server does not know this campaign. Publish it on the server, then retry.</source>
        <translation>لا يعرف الخادم هذه الحملة. انشرها على الخادم ثم أعد الإرسال.</translation>
    </message>
    <message>
        <source>The server does not know this version of the campaign. Publish it on the server, then retry.</source>
        <translation>لا يعرف الخادم هذا الإصدار من الحملة. انشره على الخادم ثم أعد الإرسال.</translation>
    </message>
    <message>
        <source>The same signature was sent twice at once. Retry.</source>
        <translation>أُرسل التوقيع نفسه مرتين في آن واحد. أعد الإرسال.</translation>
    </message>
    <message>
        <source>This signature is larger than the server accepts.</source>
        <translation>هذا التوقيع أكبر مما يقبله الخادم.</translation>
    </message>
    <message>
        <source>This withdrawal names a signature another device collected; only that device can withdraw it.</source>
        <translation>هذا السحب يشير إلى توقيع جمعه جهاز آخر؛ لا يسحبه إلا ذلك الجهاز.</translation>
    </message>
    <message>
        <source>Set aside by a coordinator.</source>
        <translation>أجّلها أحد المنسّقين.</translation>
    </message>
    <message>
        <source>The server refused this signature without a reason.</source>
        <translation>رفض الخادم هذا التوقيع دون ذكر سبب.</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>اكتملت</translation>
    </message>
    <message>
        <source>server not reachable</source>
        <translation>تعذّر الوصول إلى الخادم</translation>
    </message>
    <message>
        <source>refused by the server</source>
        <translation>رفضها الخادم</translation>
    </message>
    <message>
        <source>device must be enrolled again</source>
        <translation>يجب تسجيل الجهاز من جديد</translation>
    </message>
    <message>
        <source>device not enrolled</source>
        <translation>الجهاز غير مسجَّل</translation>
    </message>
    <message>
        <source>another program is sending</source>
        <translation>برنامج آخر يرسل الآن</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>أُلغيت</translation>
    </message>
    <message>
        <source>The server did not answer. Check the network (a venue&apos;s Wi-Fi may first want a login page in a browser), then press Sync now. Nothing is lost: the signatures wait on this device.</source>
        <translation>لم يُجب الخادم. تحقّق من الشبكة (قد تطلب شبكة Wi-Fi في المكان صفحة تسجيل دخول في المتصفح أولاً)، ثم اضغط «زامن الآن». لم يُفقد شيء: التوقيعات تنتظر على هذا الجهاز.</translation>
    </message>
    <message>
        <source>The server refused the request. The app retries by itself; if this stays, send the diagnostics (Log) to the server&apos;s operator.</source>
        <translation>رفض الخادم الطلب. يعيد التطبيق المحاولة من تلقاء نفسه؛ إذا استمر ذلك، أرسل معلومات التشخيص (السجل) إلى مشغّل الخادم.</translation>
    </message>
    <message>
        <source>The server no longer accepts this device. Ask its operator for a new enrollment code and enroll again (Settings); the waiting signatures go with the next sync.</source>
        <translation>لم يعد الخادم يقبل هذا الجهاز. اطلب من مشغّله رمز تسجيل جديداً وسجّل الجهاز مرة أخرى (الإعدادات)؛ تُرسل التوقيعات المنتظرة مع المزامنة التالية.</translation>
    </message>
    <message>
        <source>This device is not enrolled with a server. Enroll it (Settings), or carry the signatures in a hand-off file.</source>
        <translation>هذا الجهاز غير مسجّل لدى خادم. سجّله (الإعدادات)، أو انقل التوقيعات في ملف تسليم.</translation>
    </message>
    <message>
        <source>Another copy of the app is sending from this device right now. Wait for it, or close it.</source>
        <translation>نسخة أخرى من التطبيق ترسل من هذا الجهاز الآن. انتظرها أو أغلقها.</translation>
    </message>
    <message>
        <source>Please give this device a name.</source>
        <translation>يُرجى إعطاء هذا الجهاز اسماً.</translation>
    </message>
    <message>
        <source>A device name has at most 64 characters.</source>
        <translation>لا يتجاوز اسم الجهاز 64 حرفاً.</translation>
    </message>
    <message>
        <source>The name contains invisible or control characters.</source>
        <translation>يحتوي الاسم على أحرف غير مرئية أو أحرف تحكم.</translation>
    </message>
    <message>
        <source>Enrolled with a server</source>
        <translation>سُجِّل الجهاز لدى خادم</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>مزامنة</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>تصدير</translation>
    </message>
    <message>
        <source>Personal data purged</source>
        <translation>حُذفت البيانات الشخصية</translation>
    </message>
    <message>
        <source>Wrong coordinator PIN</source>
        <translation>رمز منسّق خاطئ</translation>
    </message>
    <message>
        <source>Coordinator PIN changed</source>
        <translation>تغيّر رمز المنسّق</translation>
    </message>
    <message>
        <source>Coordinator PIN chosen</source>
        <translation>حُدِّد رمز المنسّق</translation>
    </message>
    <message>
        <source>Device set up</source>
        <translation>تهيئة الجهاز</translation>
    </message>
    <message>
        <source>Campaign imported</source>
        <translation>استيراد حملة</translation>
    </message>
    <message>
        <source>The server&apos;s version has other texts</source>
        <translation>نسخة الخادم فيها نصوص أخرى</translation>
    </message>
    <message>
        <source>Campaign version refused: not vouched for by the server</source>
        <translation>رُفض إصدار الحملة: الخادم لم يضمنه</translation>
    </message>
    <message>
        <source>Campaign version set aside: not vouched for by the server</source>
        <translation>وُضع إصدار الحملة جانبًا: الخادم لم يضمنه</translation>
    </message>
    <message>
        <source>Panel opened</source>
        <translation>فُتحت اللوحة</translation>
    </message>
    <message>
        <source>Set aside</source>
        <translation>تأجيل</translation>
    </message>
    <message>
        <source>Sent again</source>
        <translation>أُعيد الإرسال</translation>
    </message>
    <message>
        <source>Event created</source>
        <translation>أُنشئت فعالية</translation>
    </message>
    <message>
        <source>Event changed</source>
        <translation>عُدّلت فعالية</translation>
    </message>
    <message>
        <source>Active event chosen</source>
        <translation>اختيرت الفعالية النشطة</translation>
    </message>
    <message>
        <source>Settings changed</source>
        <translation>تغيّرت الإعدادات</translation>
    </message>
    <message>
        <source>Sealing key received</source>
        <translation>استُلم مفتاح التشفير</translation>
    </message>
    <message>
        <source>Paper sheets imported</source>
        <translation>استُوردت الأوراق المطبوعة</translation>
    </message>
    <message>
        <source>Hand-off file written</source>
        <translation>كُتب ملف التسليم</translation>
    </message>
    <message>
        <source>Hand-off receipt read</source>
        <translation>قُرئ إيصال التسليم</translation>
    </message>
    <message>
        <source>Hand-off receipt refused</source>
        <translation>رُفض إيصال التسليم</translation>
    </message>
    <message>
        <source>Diagnostics copied</source>
        <translation>نُسخ تقرير التشخيص</translation>
    </message>
    <message>
        <source>Diagnostics saved to a file</source>
        <translation>حُفظ تقرير التشخيص في ملف</translation>
    </message>
    <message>
        <source>A duplicate of another signature</source>
        <translation>نسخة مكررة من توقيع آخر</translation>
    </message>
    <message>
        <source>A test entry</source>
        <translation>إدخال تجريبي</translation>
    </message>
    <message>
        <source>The signer withdrew</source>
        <translation>تراجع الموقِّع</translation>
    </message>
    <message>
        <source>Cannot be fixed</source>
        <translation>لا يمكن إصلاحه</translation>
    </message>
    <message>
        <source>Other (see note)</source>
        <translation>سبب آخر (انظر الملاحظة)</translation>
    </message>
    <message>
        <source>The server address must start with https:// (or http:// on a local network).</source>
        <translation>يجب أن يبدأ عنوان الخادم بـ https://‎ (أو http://‎ داخل شبكة محلية).</translation>
    </message>
    <message>
        <source>Type the enrollment code, or paste the text of the QR code.</source>
        <translation>اكتب رمز التسجيل، أو الصق نص رمز QR.</translation>
    </message>
    <message>
        <source>The enrollment code has 12 letters and digits, for example K7QM-2XPA-9RTF.</source>
        <translation>يتكوّن رمز التسجيل من 12 حرفًا ورقمًا، مثل K7QM-2XPA-9RTF.</translation>
    </message>
    <message>
        <source>This is not the text of a Petition Kiosk enrollment QR code.</source>
        <translation>هذا ليس نص رمز QR للتسجيل في كشك العرائض.</translation>
    </message>
    <message>
        <source>This QR code was made by a newer server. Update the app, then enroll again.</source>
        <translation>أنشأ رمزَ QR هذا خادمٌ أحدث. حدّث التطبيق، ثم سجّل الجهاز من جديد.</translation>
    </message>
    <message>
        <source>The text of this QR code is incomplete or damaged. Copy it again.</source>
        <translation>نص رمز QR هذا ناقص أو تالف. انسخه مرة أخرى.</translation>
    </message>
    <message>
        <source>Use https:// for a server outside your local network: http:// would send signers&apos; data unencrypted.</source>
        <translation>استخدم https://‎ لخادم خارج شبكتك المحلية: فمع http://‎ تُرسَل بيانات الموقّعين دون تشفير.</translation>
    </message>
    <message>
        <source>No Petition Kiosk server answered at this address. Check the address and the network connection, then try again.</source>
        <translation>لم يُجب أي خادم لكشك العرائض على هذا العنوان. تحقّق من العنوان ومن الاتصال بالشبكة، ثم حاول مرة أخرى.</translation>
    </message>
    <message>
        <source>The server refused this code: it is wrong, already used or expired. Ask the server&apos;s operator for a new one.</source>
        <translation>رفض الخادم هذا الرمز: فهو خاطئ أو مستخدَم من قبل أو منتهي الصلاحية. اطلب رمزًا جديدًا من مشغّل الخادم.</translation>
    </message>
    <message>
        <source>The server&apos;s operator has revoked this device. Ask for a new enrollment code.</source>
        <translation>ألغى مشغّل الخادم هذا الجهاز. اطلب رمز تسجيل جديدًا.</translation>
    </message>
    <message>
        <source>The server needs a newer version of this app. Update it, then enroll again.</source>
        <translation>يحتاج الخادم إلى إصدار أحدث من هذا التطبيق. حدّثه، ثم سجّل الجهاز من جديد.</translation>
    </message>
    <message>
        <source>The server refused the enrollment.</source>
        <translation>رفض الخادم التسجيل.</translation>
    </message>
    <message>
        <source>Enrollment did not work.</source>
        <translation>لم ينجح التسجيل.</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>مدمجة</translation>
    </message>
    <message>
        <source>from the server</source>
        <translation>من الخادم</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>مستوردة</translation>
    </message>
    <message>
        <source>The coordinator PIN is shorter than %1 digits, which someone holding this device&apos;s files can find in hours. Choose a longer one: Settings, Change the coordinator PIN.</source>
        <translation>رمز المنسّق أقصر من %1 أرقام، ويستطيع من يحصل على ملفات هذا الجهاز أن يكتشفه خلال ساعات. اختر رمزًا أطول: الإعدادات، غيّر رمز المنسّق.</translation>
    </message>
    <message>
        <source>Checking the campaign…</source>
        <translation>جارٍ فحص الحملة…</translation>
    </message>
    <message>
        <source>Import a campaign</source>
        <translation>استيراد حملة</translation>
    </message>
    <message>
        <source>Campaign bundles (campaign.toml *.zip *.bundle)</source>
        <translation>حزم الحملات (campaign.toml *.zip *.bundle)</translation>
    </message>
    <message>
        <source>This is not a campaign bundle the app can use.</source>
        <translation>هذه ليست حزمة حملة يمكن للتطبيق استخدامها.</translation>
    </message>
</context>
<context>
    <name>PanelPage</name>
    <message>
        <source>Coordinator panel</source>
        <translation>لوحة المنسّق</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>الخروج من وضع الكشك</translation>
    </message>
    <message>
        <source>Back to signing</source>
        <translation>العودة إلى التوقيع</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>الأقسام</translation>
    </message>
    <message>
        <source>%1 is not enrolled with a server.</source>
        <translation>%1 غير مسجَّل لدى أي خادم.</translation>
    </message>
    <message>
        <source>This device is not enrolled with a server.</source>
        <translation>هذا الجهاز غير مسجَّل لدى أي خادم.</translation>
    </message>
    <message>
        <source>%1: the server refused this device. Enroll it again.</source>
        <translation>%1: رفض الخادم هذا الجهاز. سجّله من جديد.</translation>
    </message>
    <message>
        <source>%1, enrolled with %2</source>
        <translation>%1، مسجَّل لدى %2</translation>
    </message>
</context>
<context>
    <name>PaperPage</name>
    <message>
        <source>Type each signed line of a sheet. The sheet number and its date stay for the next line; Enter saves. Consent was given on the sheet, which carries the consent text.</source>
        <translation>اكتب كل سطر موقَّع من الورقة. يبقى رقم الورقة وتاريخها للسطر التالي، ويحفظ مفتاح Enter الإدخال. أُعطيت الموافقة على الورقة نفسها، فهي تحمل نص الموافقة.</translation>
    </message>
    <message>
        <source>Sheet number</source>
        <translation>رقم الورقة</translation>
    </message>
    <message>
        <source>Signed on (the date on the sheet)</source>
        <translation>تاريخ التوقيع (المكتوب على الورقة)</translation>
    </message>
    <message>
        <source>Signed on</source>
        <translation>تاريخ التوقيع</translation>
    </message>
    <message>
        <source>Paper sheets: %1</source>
        <translation>أوراق التوقيع: %1</translation>
    </message>
    <message>
        <source>“Keep me informed” is ticked on the sheet</source>
        <translation>مربع «أبقوني على اطّلاع» معلَّم على الورقة</translation>
    </message>
    <message>
        <source>Already on this device (typed or imported before): nothing new was saved. If it is another person with the same details, press Enter again.</source>
        <translation>موجود مسبقًا على هذا الجهاز (أُدخل أو استُورد من قبل)، فلم يُحفظ شيء جديد. إن كان شخصًا آخر بالبيانات نفسها، فاضغط Enter مرة أخرى.</translation>
    </message>
    <message>
        <source>The date on the sheet cannot be in the future.</source>
        <translation>لا يمكن أن يكون تاريخ الورقة في المستقبل.</translation>
    </message>
    <message>
        <source>This petition asks for a signature drawn on the screen, so its paper sheets cannot be typed in here.</source>
        <translation>تطلب هذه العريضة توقيعًا يُرسم على الشاشة، لذا لا يمكن إدخال أوراقها الورقية هنا.</translation>
    </message>
</context>
<context>
    <name>PaperSheets</name>
    <message>
        <source>Sheet %1</source>
        <translation>الورقة %1</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>التاريخ:</translation>
    </message>
    <message>
        <source>Place:</source>
        <translation>المكان:</translation>
    </message>
    <message>
        <source>By ticking “I agree” on a row, the person on that row agrees:</source>
        <translation>بوضع علامة في خانة «أوافق» في سطر ما، يوافق صاحب هذا السطر على ما يلي:</translation>
    </message>
    <message>
        <source>Ticking “Keep me informed” (optional) means:</source>
        <translation>وضع علامة في خانة «أبقوني على اطّلاع» (اختياري) يعني:</translation>
    </message>
    <message>
        <source>Each partner organisation has its own column (optional). Ticking it means:</source>
        <translation>لكل منظمة شريكة عمودها الخاص (اختياري). وضع علامة فيه يعني:</translation>
    </message>
    <message>
        <source>The original (English) text:</source>
        <translation>النص الأصلي (بالإنجليزية):</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>رقم</translation>
    </message>
    <message>
        <source>I agree *</source>
        <translation>أوافق *</translation>
    </message>
    <message>
        <source>Keep me informed</source>
        <translation>أبقوني على اطّلاع</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>التوقيع</translation>
    </message>
    <message>
        <source>* required. Only rows with “I agree” ticked count.</source>
        <translation>* إلزامي. لا تُحتسب إلا الأسطر التي عليها علامة في خانة «أوافق».</translation>
    </message>
    <message>
        <source>%1, version %2 · sheet %3 · type it in under Coordinator panel → Type in paper sheets</source>
        <translation>%1، الإصدار %2 · الورقة %3 · تُدخَل من لوحة المنسّق ← إدخال أوراق التوقيع</translation>
    </message>
</context>
<context>
    <name>PhonesSection</name>
    <message>
        <source>Phones can sign</source>
        <translation>التوقيع من الهواتف</translation>
    </message>
    <message>
        <source>Phones at the stand sign through this laptop&apos;s own page, with no internet: they join the Wi-Fi below, then open the petition from the QR code on the kiosk&apos;s screen or on the poster. Kiosk mode stays locked while phones sign.</source>
        <translation>تُوقّع الهواتف عند الجناح عبر صفحة هذا الحاسوب نفسه، دون إنترنت: تنضمّ إلى شبكة الواي فاي أدناه، ثم تفتح العريضة من رمز QR على شاشة الكشك أو على الملصق. يبقى وضع الكشك مقفلاً أثناء التوقيع من الهواتف.</translation>
    </message>
    <message>
        <source>Where phones reach this laptop</source>
        <translation>أين تصل الهواتف إلى هذا الحاسوب</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>المنفذ</translation>
    </message>
    <message>
        <source>The phones&apos; Wi-Fi</source>
        <translation>شبكة الواي فاي للهواتف</translation>
    </message>
    <message>
        <source>Make a hotspot</source>
        <translation>أنشئ نقطة اتصال</translation>
    </message>
    <message>
        <source>Stop the hotspot</source>
        <translation>أوقف نقطة الاتصال</translation>
    </message>
    <message>
        <source>Let older phones join too (WPA2)</source>
        <translation>اسمح للهواتف الأقدم بالانضمام أيضًا (WPA2)</translation>
    </message>
    <message>
        <source>Wi-Fi name</source>
        <translation>اسم شبكة الواي فاي</translation>
    </message>
    <message>
        <source>Wi-Fi password</source>
        <translation>كلمة مرور الواي فاي</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>الحماية</translation>
    </message>
    <message>
        <source>WPA2, or WPA2/WPA3 mixed</source>
        <translation>WPA2 أو WPA2/WPA3 مختلط</translation>
    </message>
    <message>
        <source>WPA3 only</source>
        <translation>WPA3 فقط</translation>
    </message>
    <message>
        <source>Open (no password)</source>
        <translation>مفتوحة (دون كلمة مرور)</translation>
    </message>
    <message>
        <source>The network the phones join, e.g. the venue&apos;s</source>
        <translation>الشبكة التي تنضمّ إليها الهواتف، مثل شبكة المكان</translation>
    </message>
    <message>
        <source>Save the Wi-Fi</source>
        <translation>احفظ شبكة الواي فاي</translation>
    </message>
    <message>
        <source>Turn on</source>
        <translation>شغّل</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>أوقف</translation>
    </message>
    <message>
        <source>New access token</source>
        <translation>رمز وصول جديد</translation>
    </message>
    <message>
        <source>Print poster…</source>
        <translation>اطبع الملصق…</translation>
    </message>
    <message>
        <source>Poster language</source>
        <translation>لغة الملصق</translation>
    </message>
    <message>
        <source>%1 (not on this machine now)</source>
        <translation>%1 (غير موجود على هذا الجهاز الآن)</translation>
    </message>
    <message>
        <source>Off. This window cannot serve phones.</source>
        <translation>متوقف. لا تستطيع هذه النافذة خدمة الهواتف.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>جارٍ التشغيل…</translation>
    </message>
    <message>
        <source>On: phones open %1</source>
        <translation>يعمل: تفتح الهواتف %1</translation>
    </message>
    <message>
        <source>Could not start: %1</source>
        <translation>تعذّر التشغيل: %1</translation>
    </message>
    <message>
        <source>Off.</source>
        <translation>متوقف.</translation>
    </message>
    <message>
        <source>This machine has no network address to serve on.</source>
        <translation>لا يملك هذا الجهاز عنوان شبكة يمكن الخدمة عليه.</translation>
    </message>
    <message>
        <source>A new access token: the old codes and posters no longer open the petition. Print the poster again.</source>
        <translation>رمز وصول جديد: لم تعد الرموز والملصقات القديمة تفتح العريضة. اطبع الملصق من جديد.</translation>
    </message>
    <message>
        <source>This laptop&apos;s Wi-Fi could not make a WPA3 network, so the hotspot uses WPA2. With the password on the poster, someone on the hotspot could read what phones send.</source>
        <translation>تعذّر على شبكة الواي فاي في هذا الحاسوب إنشاء شبكة WPA3، لذلك تستخدم نقطة الاتصال WPA2. ولأن كلمة المرور مطبوعة على الملصق، قد يتمكّن شخص متصل بنقطة الاتصال من قراءة ما ترسله الهواتف.</translation>
    </message>
    <message>
        <source>The hotspot uses WPA2 so that older phones can join: with the password on the poster, someone on it could read what phones send.</source>
        <translation>تستخدم نقطة الاتصال WPA2 كي تتمكن الهواتف الأقدم من الانضمام: ولأن كلمة المرور على الملصق، قد يتمكن شخص متصل بها من قراءة ما ترسله الهواتف.</translation>
    </message>
    <message>
        <source>The hotspot uses WPA2: with the password on the poster, someone on it could read what phones send.</source>
        <translation>تستخدم نقطة الاتصال WPA2: ولأن كلمة المرور مطبوعة على الملصق، قد يتمكّن شخص متصل بها من قراءة ما ترسله الهواتف.</translation>
    </message>
    <message>
        <source>Making the hotspot…</source>
        <translation>جارٍ إنشاء نقطة الاتصال…</translation>
    </message>
    <message>
        <source>Hotspot %1 is on.</source>
        <translation>نقطة الاتصال %1 تعمل.</translation>
    </message>
    <message>
        <source>NetworkManager (nmcli) is not installed: type the Wi-Fi&apos;s name and password below instead.</source>
        <translation>NetworkManager (nmcli) غير مثبّت: اكتب اسم شبكة الواي فاي وكلمة مرورها أدناه بدلاً من ذلك.</translation>
    </message>
    <message>
        <source>This laptop has no Wi-Fi device NetworkManager can use.</source>
        <translation>لا يملك هذا الحاسوب جهاز واي فاي يستطيع NetworkManager استخدامه.</translation>
    </message>
    <message>
        <source>This laptop&apos;s Wi-Fi cannot make a hotspot: type the name and password of another Wi-Fi below.</source>
        <translation>لا تستطيع شبكة الواي فاي في هذا الحاسوب إنشاء نقطة اتصال: اكتب اسم شبكة أخرى وكلمة مرورها أدناه.</translation>
    </message>
    <message>
        <source>The hotspot did not start: %1</source>
        <translation>لم تبدأ نقطة الاتصال: %1</translation>
    </message>
    <message>
        <source>The hotspot is off. Phones on it can no longer reach this laptop.</source>
        <translation>نقطة الاتصال متوقفة. لم تعد الهواتف المتصلة بها تصل إلى هذا الحاسوب.</translation>
    </message>
    <message>
        <source>The hotspot did not stop: %1</source>
        <translation>لم تتوقف نقطة الاتصال: %1</translation>
    </message>
    <message>
        <source>A Wi-Fi password has 8 to 63 characters.</source>
        <translation>تتكوّن كلمة مرور الواي فاي من 8 إلى 63 حرفاً.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>حُفظ.</translation>
    </message>
    <message>
        <source>Saved: no Wi-Fi code is shown; phones join the venue&apos;s network by hand.</source>
        <translation>حُفظ: لا يُعرض رمز الواي فاي؛ تنضمّ الهواتف إلى شبكة المكان يدوياً.</translation>
    </message>
    <message>
        <source>Save the poster</source>
        <translation>احفظ الملصق</translation>
    </message>
    <message>
        <source>Writing the poster…</source>
        <translation>جارٍ كتابة الملصق…</translation>
    </message>
    <message>
        <source>Poster saved: %1</source>
        <translation>حُفظ الملصق: %1</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>لم ينجح ذلك: %1</translation>
    </message>
</context>
<context>
    <name>PickerPage</name>
    <message>
        <source>Choose a petition to sign</source>
        <translation>اختر عريضة لتوقيعها</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
            <numerusform>توقيع واحد على هذا الجهاز</numerusform>
            <numerusform>توقيعان على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعات على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعًا على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>OK</source>
        <translation>موافق</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Coordinator PIN</source>
        <translation>رمز PIN الخاص بالمنسّق</translation>
    </message>
    <message>
        <source>Choose a coordinator PIN (%1 to %2 digits)</source>
        <translation>اختر رمز PIN للمنسّق (من %1 إلى %2 رقمًا)</translation>
    </message>
    <message>
        <source>Type the new PIN again</source>
        <translation>اكتب رمز PIN الجديد مرة أخرى</translation>
    </message>
    <message>
        <source>A PIN has %1 to %2 digits.</source>
        <translation>يتكوّن رمز PIN من %1 إلى %2 رقمًا.</translation>
    </message>
    <message>
        <source>The two PINs were not the same. Please start again.</source>
        <translation>الرمزان غير متطابقين. يُرجى البدء من جديد.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>رمز PIN هذا غير صحيح.</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong PINs. Try again in %Ln second(s).</source>
        <translation>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد %Ln ثانية.</numerusform>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد ثانية واحدة.</numerusform>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد ثانيتين.</numerusform>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد %Ln ثوانٍ.</numerusform>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد %Ln ثانية.</numerusform>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد %Ln ثانية.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinStep</name>
    <message>
        <source>This device already has a coordinator PIN, and it stays as it is. To change it, open the coordinator&apos;s panel (Settings), which asks for the current PIN first.</source>
        <translation>لهذا الجهاز رمز PIN للمنسّق، ويبقى كما هو. لتغييره افتح لوحة المنسّق (الإعدادات)، التي تطلب الرمز الحالي أولاً.</translation>
    </message>
    <message>
        <source>It opens the coordinator&apos;s panel, exports and deletes data, and is the only way out of kiosk mode. Signers never need it. Keep it somewhere safe: nobody can read it back from this device.</source>
        <translation>يفتح لوحة المنسّق، ويصدّر البيانات ويحذفها، وهو الطريق الوحيد للخروج من وضع الكشك. لا يحتاجه الموقّعون أبداً. احفظه في مكان آمن: لا يمكن لأحد قراءته من هذا الجهاز.</translation>
    </message>
    <message>
        <source>✓  The coordinator PIN is chosen.</source>
        <translation>✓  تم اختيار رمز PIN للمنسّق.</translation>
    </message>
    <message>
        <source>Choose a different PIN</source>
        <translation>اختر رمز PIN آخر</translation>
    </message>
    <message>
        <source>Coordinator PIN</source>
        <translation>رمز PIN الخاص بالمنسّق</translation>
    </message>
</context>
<context>
    <name>PrintSheetsDialog</name>
    <message>
        <source>Language</source>
        <translation>اللغة</translation>
    </message>
    <message>
        <source>Number of sheets</source>
        <translation>عدد الأوراق</translation>
    </message>
    <message>
        <source>First sheet number</source>
        <translation>رقم الورقة الأولى</translation>
    </message>
    <message>
        <source>Paper size</source>
        <translation>حجم الورق</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>حفظ بصيغة PDF…</translation>
    </message>
    <message>
        <source>Number the sheets on from the last batch you printed, so no two sheets share a number.</source>
        <translation>تابِع ترقيم الأوراق من آخر دفعة طبعتها، كي لا تحمل ورقتان الرقم نفسه.</translation>
    </message>
    <message>
        <source>Print paper sheets</source>
        <translation>طباعة أوراق التوقيع</translation>
    </message>
    <message>
        <source>Save the paper sheets</source>
        <translation>حفظ أوراق التوقيع</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>جارٍ كتابة ملف PDF…</translation>
    </message>
    <message>
        <source>Sheets %1 to %2 written to %3.</source>
        <translation>كُتبت الأوراق من %1 إلى %2 في %3.</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>لم ينجح ذلك: %1</translation>
    </message>
</context>
<context>
    <name>RecentModel</name>
    <message>
        <source>withdrawn</source>
        <translation>مسحوب</translation>
    </message>
    <message>
        <source>Withdrawn with Undo: it is sent to the server as a withdrawal.</source>
        <translation>سُحب بزر التراجع، ويُرسَل إلى الخادم على أنه سحب للتوقيع.</translation>
    </message>
</context>
<context>
    <name>ServerStep</name>
    <message>
        <source>Does your organisation run a Petition Kiosk server? Enrolled with it, this device sends its signatures whenever it has a network, and signers&apos; details are sealed so that this device cannot read them back.</source>
        <translation>هل تشغّل منظمتك خادم Petition Kiosk؟ بعد تسجيله لديه، يرسل هذا الجهاز توقيعاته كلما توفرت شبكة، وتُختم بيانات الموقّعين فلا يستطيع هذا الجهاز قراءتها مرة أخرى.</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>عنوان الخادم</translation>
    </message>
    <message>
        <source>Enrollment code</source>
        <translation>رمز التسجيل</translation>
    </message>
    <message>
        <source>No server, or no network here? Skip: this device collects signatures all the same, and you can enroll it later in the coordinator&apos;s panel (Settings). Once enrolled, it can also carry its signatures to the server on a USB stick (hand-off files) where there is no network.</source>
        <translation>لا يوجد خادم، أو لا توجد شبكة هنا؟ اختر «تخطٍّ»: يجمع هذا الجهاز التوقيعات على أي حال، ويمكنك تسجيله لاحقاً في لوحة المنسّق (الإعدادات). وبعد تسجيله يمكنه أيضاً نقل توقيعاته إلى الخادم على ذاكرة USB (ملفات التسليم) حيث لا توجد شبكة.</translation>
    </message>
    <message>
        <source>Server (optional)</source>
        <translation>الخادم (اختياري)</translation>
    </message>
</context>
<context>
    <name>SettingsSection</name>
    <message>
        <source>Settings</source>
        <translation>الإعدادات</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>عنوان الخادم</translation>
    </message>
    <message>
        <source>Enrollment code or QR text</source>
        <translation>رمز التسجيل أو نص رمز QR</translation>
    </message>
    <message>
        <source>Device name</source>
        <translation>اسم الجهاز</translation>
    </message>
    <message>
        <source>Idle reset after (seconds)</source>
        <translation>إعادة الضبط بعد الخمول (ثوانٍ)</translation>
    </message>
    <message>
        <source>Keep personal data after sending (days)</source>
        <translation>الاحتفاظ بالبيانات الشخصية بعد الإرسال (أيام)</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>المظهر</translation>
    </message>
    <message>
        <source>On-screen keyboard</source>
        <translation>لوحة المفاتيح على الشاشة</translation>
    </message>
    <message>
        <source>Server and enrollment</source>
        <translation>الخادم والتسجيل</translation>
    </message>
    <message>
        <source>This device</source>
        <translation>هذا الجهاز</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>عادي</translation>
    </message>
    <message>
        <source>Outdoor (high contrast)</source>
        <translation>في الخارج (تباين عالٍ)</translation>
    </message>
    <message>
        <source>When there is a touch screen and no keyboard</source>
        <translation>عند وجود شاشة لمس دون لوحة مفاتيح</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>دائمًا</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>أبدًا</translation>
    </message>
    <message>
        <source>0 (purge right after sending)</source>
        <translation>0 (الحذف فور الإرسال)</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>احفظ الإعدادات</translation>
    </message>
    <message>
        <source>Change the coordinator PIN</source>
        <translation>غيّر رمز المنسّق</translation>
    </message>
    <message>
        <source>In kiosk mode this panel opens when you hold the top-left corner of the screen for %1 seconds, then type the coordinator PIN. It is the only way out of kiosk mode.</source>
        <translation>في وضع الكشك تُفتح هذه اللوحة عندما تضغط مطوّلًا على الزاوية العلوية اليسرى من الشاشة لمدة %1 ثوانٍ، ثم تكتب رمز PIN الخاص بالمنسّق. هذه هي الطريقة الوحيدة للخروج من وضع الكشك.</translation>
    </message>
    <message>
        <source>Data on this device</source>
        <translation>البيانات على هذا الجهاز</translation>
    </message>
    <message>
        <source>The export file holds the personal data of every signer on this device. Save it only to an encrypted drive, never to a shared folder, and delete it when it has been handed over.</source>
        <translation>يحتوي ملف التصدير على البيانات الشخصية لكل من وقّع على هذا الجهاز. احفظه على قرص مشفّر فقط، ولا تحفظه أبداً في مجلد مشترك، واحذفه بعد تسليمه.</translation>
    </message>
    <message>
        <source>Export signatures (CSV)</source>
        <translation>صدّر التوقيعات (CSV)</translation>
    </message>
    <message>
        <source>Purge sent personal data now</source>
        <translation>احذف الآن البيانات الشخصية المرسلة</translation>
    </message>
    <message>
        <source>Not enrolled. Type the server address and the enrollment code from the server&apos;s operator, or paste the QR code&apos;s text.</source>
        <translation>غير مسجَّل. اكتب عنوان الخادم ورمز التسجيل من مشغّل الخادم، أو الصق نص رمز QR.</translation>
    </message>
    <message>
        <source>Enrolled with %1 as %2 since %3.</source>
        <translation>مسجَّل لدى %1 باسم %2 منذ %3.</translation>
    </message>
    <message>
        <source>Saved. The on-screen keyboard appears from the next start.</source>
        <translation>حُفظ. ستظهر لوحة المفاتيح على الشاشة ابتداءً من التشغيل التالي.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>حُفظ.</translation>
    </message>
    <message>
        <source>Export signatures</source>
        <translation>تصدير التوقيعات</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>جارٍ التصدير…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) exported.</source>
        <translation>
            <numerusform>لم يُصدَّر أي توقيع.</numerusform>
            <numerusform>صُدِّر توقيع واحد.</numerusform>
            <numerusform>صُدِّر توقيعان.</numerusform>
            <numerusform>صُدِّرت %Ln توقيعات.</numerusform>
            <numerusform>صُدِّر %Ln توقيعاً.</numerusform>
            <numerusform>صُدِّر %Ln توقيع.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln of them are sealed: their signers&apos; details are encrypted for the campaign&apos;s server and cannot be read on this device, so the file holds them without names. The server&apos;s operator reads them with the server&apos;s passphrase.</source>
        <translation>
            <numerusform>لا توقيع منها مُشفَّر.</numerusform>
            <numerusform>توقيع واحد منها مُشفَّر: بيانات صاحبه مُشفَّرة لخادم الحملة ولا يمكن قراءتها على هذا الجهاز، لذا يحتويه الملف دون اسم. يقرؤها مشغّل الخادم بكلمة مرور الخادم.</numerusform>
            <numerusform>توقيعان منها مُشفَّران: بيانات صاحبيهما مُشفَّرة لخادم الحملة ولا يمكن قراءتها على هذا الجهاز، لذا يحتويهما الملف دون أسماء. يقرؤها مشغّل الخادم بكلمة مرور الخادم.</numerusform>
            <numerusform>%Ln توقيعات منها مُشفَّرة: بيانات أصحابها مُشفَّرة لخادم الحملة ولا يمكن قراءتها على هذا الجهاز، لذا يحتويها الملف دون أسماء. يقرؤها مشغّل الخادم بكلمة مرور الخادم.</numerusform>
            <numerusform>%Ln توقيعًا منها مُشفَّرة: بيانات أصحابها مُشفَّرة لخادم الحملة ولا يمكن قراءتها على هذا الجهاز، لذا يحتويها الملف دون أسماء. يقرؤها مشغّل الخادم بكلمة مرور الخادم.</numerusform>
            <numerusform>%Ln توقيع منها مُشفَّر: بيانات أصحابها مُشفَّرة لخادم الحملة ولا يمكن قراءتها على هذا الجهاز، لذا يحتويها الملف دون أسماء. يقرؤها مشغّل الخادم بكلمة مرور الخادم.</numerusform>
        </translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>الملف: %1</translation>
    </message>
    <message numerus="yes">
        <source>Personal data of %Ln sent signature(s) purged.</source>
        <translation>
            <numerusform>لم تُحذف بيانات شخصية.</numerusform>
            <numerusform>حُذفت البيانات الشخصية لتوقيع واحد مُرسَل.</numerusform>
            <numerusform>حُذفت البيانات الشخصية لتوقيعين مُرسَلين.</numerusform>
            <numerusform>حُذفت البيانات الشخصية لـ %Ln توقيعات مُرسَلة.</numerusform>
            <numerusform>حُذفت البيانات الشخصية لـ %Ln توقيعاً مُرسَلاً.</numerusform>
            <numerusform>حُذفت البيانات الشخصية لـ %Ln توقيع مُرسَل.</numerusform>
        </translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>لم ينجح ذلك: %1</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up Petition Kiosk</source>
        <translation>تهيئة Petition Kiosk</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>رجوع</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>تخطٍّ</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>الخطوة %1 من %2</translation>
    </message>
    <message>
        <source>Start collecting signatures</source>
        <translation>ابدأ جمع التوقيعات</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>التالي</translation>
    </message>
    <message>
        <source>The answers could not be saved. Is the disk full?</source>
        <translation>تعذّر حفظ الإجابات. هل القرص ممتلئ؟</translation>
    </message>
</context>
<context>
    <name>SignPage</name>
    <message>
        <source>Your details stay on this device until they are sent to %1.</source>
        <translation>تبقى بياناتك على هذا الجهاز إلى أن تُرسَل إلى %1.</translation>
    </message>
    <message>
        <source>Your signature</source>
        <translation>توقيعك</translation>
    </message>
    <message>
        <source>Please sign in the box above: this petition asks for your signature.</source>
        <translation>يُرجى التوقيع في المربع أعلاه، فهذه العريضة تطلب توقيعك.</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>Sign here with your finger</source>
        <translation>وقّع هنا بإصبعك</translation>
    </message>
    <message>
        <source>Handwritten signature</source>
        <translation>التوقيع بخط اليد</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>تراجع عن آخر خط</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>امسح</translation>
    </message>
    <message>
        <source>Clear the signature</source>
        <translation>امسح التوقيع</translation>
    </message>
</context>
<context>
    <name>SyncSection</name>
    <message>
        <source>Day-end sync</source>
        <translation>مزامنة نهاية اليوم</translation>
    </message>
    <message>
        <source>Send every signature on this device to the server. Keep the device connected until it is done; you can cancel at any time and nothing is lost.</source>
        <translation>أرسل كل توقيعات هذا الجهاز إلى الخادم. أبقِ الجهاز متصلاً حتى تنتهي؛ يمكنك الإلغاء في أي وقت دون فقدان أي شيء.</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>زامن الآن</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Sync history</source>
        <translation>سجل المزامنة</translation>
    </message>
    <message>
        <source>No network? Take the waiting signatures to the server in a hand-off file that only the server can open, then read its receipt here.</source>
        <translation>لا توجد شبكة؟ انقل التوقيعات المنتظرة إلى الخادم في ملف تسليم لا يفتحه إلا الخادم، ثم اقرأ إيصاله هنا.</translation>
    </message>
    <message>
        <source>Write a hand-off file…</source>
        <translation>اكتب ملف تسليم…</translation>
    </message>
    <message>
        <source>Read a receipt…</source>
        <translation>اقرأ إيصالاً…</translation>
    </message>
    <message>
        <source>%1 waiting to be sent.</source>
        <translation>%1 تنتظر الإرسال.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) made on phones wait for the server to be updated (it speaks API version %1; they need version %2). Nothing is lost: they are sent once the server is updated.</source>
        <translation>
            <numerusform>لا توقيع من الهواتف ينتظر تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2).</numerusform>
            <numerusform>توقيع واحد من الهواتف ينتظر تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2). لم يضع شيء: سيُرسل حين يُحدَّث الخادم.</numerusform>
            <numerusform>توقيعان من الهواتف ينتظران تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2). لم يضع شيء: سيُرسلان حين يُحدَّث الخادم.</numerusform>
            <numerusform>%Ln توقيعات من الهواتف تنتظر تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2). لم يضع شيء: ستُرسل حين يُحدَّث الخادم.</numerusform>
            <numerusform>%Ln توقيعاً من الهواتف تنتظر تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2). لم يضع شيء: ستُرسل حين يُحدَّث الخادم.</numerusform>
            <numerusform>%Ln توقيع من الهواتف تنتظر تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2). لم يضع شيء: ستُرسل حين يُحدَّث الخادم.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) with partners&apos; opt-ins wait for the server to be updated (it speaks API version %1; they need version %2). Nothing is lost: they are sent once the server is updated.</source>
        <translation>
            <numerusform>لا توقيع باختيارات المنظمات الشريكة ينتظر تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2).</numerusform>
            <numerusform>توقيع واحد باختيارات المنظمات الشريكة ينتظر تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2). لم يضع شيء: سيُرسل حين يُحدَّث الخادم.</numerusform>
            <numerusform>توقيعان باختيارات المنظمات الشريكة ينتظران تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2). لم يضع شيء: سيُرسلان حين يُحدَّث الخادم.</numerusform>
            <numerusform>%Ln توقيعات باختيارات المنظمات الشريكة تنتظر تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2). لم يضع شيء: ستُرسل حين يُحدَّث الخادم.</numerusform>
            <numerusform>%Ln توقيعاً باختيارات المنظمات الشريكة تنتظر تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2). لم يضع شيء: ستُرسل حين يُحدَّث الخادم.</numerusform>
            <numerusform>%Ln توقيع باختيارات المنظمات الشريكة تنتظر تحديث الخادم (يتحدث الخادم إصدار الواجهة البرمجية %1، والمطلوب الإصدار %2). لم يضع شيء: ستُرسل حين يُحدَّث الخادم.</numerusform>
        </translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>جارٍ البدء…</translation>
    </message>
    <message>
        <source>Cancelling after the batch being sent…</source>
        <translation>سيُلغى بعد الدفعة الجاري إرسالها…</translation>
    </message>
    <message>
        <source>%1 of %2 sent · %3 per second · about %4 left</source>
        <translation>أُرسل %1 من %2 · %3 في الثانية · يتبقى نحو %4</translation>
    </message>
    <message>
        <source>The server is busy: sending again in %1 s.</source>
        <translation>الخادم مشغول: سيُعاد الإرسال بعد %1 ث.</translation>
    </message>
    <message>
        <source>%1. Created: %2 · already on the server: %3 · need attention: %4 · still waiting: %5</source>
        <translation>%1. جديدة: %2 · موجودة على الخادم: %3 · تحتاج إلى متابعة: %4 · ما زالت تنتظر: %5</translation>
    </message>
    <message numerus="yes">
        <source>%Ln second(s)</source>
        <translation>
            <numerusform>%Ln ثانية</numerusform>
            <numerusform>ثانية واحدة</numerusform>
            <numerusform>ثانيتين</numerusform>
            <numerusform>%Ln ثوانٍ</numerusform>
            <numerusform>%Ln ثانية</numerusform>
            <numerusform>%Ln ثانية</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln minute(s)</source>
        <translation>
            <numerusform>%Ln دقيقة</numerusform>
            <numerusform>دقيقة واحدة</numerusform>
            <numerusform>دقيقتين</numerusform>
            <numerusform>%Ln دقائق</numerusform>
            <numerusform>%Ln دقيقة</numerusform>
            <numerusform>%Ln دقيقة</numerusform>
        </translation>
    </message>
    <message>
        <source>Write a hand-off file</source>
        <translation>اكتب ملف تسليم</translation>
    </message>
    <message>
        <source>Hand-off files (*.handoff)</source>
        <translation>ملفات التسليم (*.handoff)</translation>
    </message>
    <message>
        <source>Writing the hand-off file…</source>
        <translation>جارٍ كتابة ملف التسليم…</translation>
    </message>
    <message>
        <source>Read a receipt</source>
        <translation>اقرأ إيصالاً</translation>
    </message>
    <message>
        <source>Receipts (*.receipt)</source>
        <translation>الإيصالات (*.receipt)</translation>
    </message>
    <message>
        <source>Reading the receipt…</source>
        <translation>جارٍ قراءة الإيصال…</translation>
    </message>
    <message>
        <source>Nothing is waiting to be sent: no file was written.</source>
        <translation>لا شيء ينتظر الإرسال: لم يُكتب أي ملف.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) written to %1.</source>
        <translation>
            <numerusform>لم يُكتب أي توقيع في %1.</numerusform>
            <numerusform>كُتب توقيع واحد في %1.</numerusform>
            <numerusform>كُتب توقيعان في %1.</numerusform>
            <numerusform>كُتبت %Ln توقيعات في %1.</numerusform>
            <numerusform>كُتب %Ln توقيعاً في %1.</numerusform>
            <numerusform>كُتب %Ln توقيع في %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is marked as sent until you read the server&apos;s receipt.</source>
        <translation>لن يُعلَّم أي توقيع بأنه أُرسل حتى تقرأ إيصال الخادم.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) made on phones are not in the file: they wait for the server to be updated.</source>
        <translation>
            <numerusform>لا توقيع من الهواتف خارج الملف.</numerusform>
            <numerusform>توقيع واحد من الهواتف ليس في الملف: ينتظر تحديث الخادم.</numerusform>
            <numerusform>توقيعان من الهواتف ليسا في الملف: ينتظران تحديث الخادم.</numerusform>
            <numerusform>%Ln توقيعات من الهواتف ليست في الملف: تنتظر تحديث الخادم.</numerusform>
            <numerusform>%Ln توقيعاً من الهواتف ليست في الملف: تنتظر تحديث الخادم.</numerusform>
            <numerusform>%Ln توقيع من الهواتف ليست في الملف: تنتظر تحديث الخادم.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) with partners&apos; opt-ins are not in the file: they wait for the server to be updated.</source>
        <translation>
            <numerusform>لا توقيع باختيارات المنظمات الشريكة خارج الملف.</numerusform>
            <numerusform>توقيع واحد باختيارات المنظمات الشريكة ليس في الملف: ينتظر تحديث الخادم.</numerusform>
            <numerusform>توقيعان باختيارات المنظمات الشريكة ليسا في الملف: ينتظران تحديث الخادم.</numerusform>
            <numerusform>%Ln توقيعات باختيارات المنظمات الشريكة ليست في الملف: تنتظر تحديث الخادم.</numerusform>
            <numerusform>%Ln توقيعاً باختيارات المنظمات الشريكة ليست في الملف: تنتظر تحديث الخادم.</numerusform>
            <numerusform>%Ln توقيع باختيارات المنظمات الشريكة ليست في الملف: تنتظر تحديث الخادم.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Receipt read: %Ln signature(s) acknowledged by the server.</source>
        <translation>
            <numerusform>قُرئ الإيصال: لم يؤكد الخادم استلام أي توقيع.</numerusform>
            <numerusform>قُرئ الإيصال: أكّد الخادم استلام توقيع واحد.</numerusform>
            <numerusform>قُرئ الإيصال: أكّد الخادم استلام توقيعين.</numerusform>
            <numerusform>قُرئ الإيصال: أكّد الخادم استلام %Ln توقيعات.</numerusform>
            <numerusform>قُرئ الإيصال: أكّد الخادم استلام %Ln توقيعاً.</numerusform>
            <numerusform>قُرئ الإيصال: أكّد الخادم استلام %Ln توقيع.</numerusform>
        </translation>
    </message>
    <message>
        <source>Needing attention: %1.</source>
        <translation>تحتاج إلى متابعة: %1.</translation>
    </message>
    <message>
        <source>This device is not enrolled with a server. A hand-off file is made for one server: enroll the device first.</source>
        <translation>هذا الجهاز غير مسجَّل لدى أي خادم. يُعَدّ ملف التسليم لخادم واحد بعينه: سجّل الجهاز أولاً.</translation>
    </message>
    <message>
        <source>The server refused this device. Enroll it again before handing signatures over.</source>
        <translation>رفض الخادم هذا الجهاز. سجّله من جديد قبل تسليم التوقيعات.</translation>
    </message>
    <message>
        <source>This device does not hold its server&apos;s encryption key, so it cannot write a hand-off file. Sync once while online, or enroll the device again.</source>
        <translation>لا يحمل هذا الجهاز مفتاح التشفير الخاص بخادمه، لذا لا يمكنه كتابة ملف تسليم. زامن مرة واحدة أثناء الاتصال بالشبكة، أو سجّل الجهاز من جديد.</translation>
    </message>
    <message>
        <source>A sync is running. Try again when it has finished.</source>
        <translation>تجري مزامنة الآن. حاول مرة أخرى بعد انتهائها.</translation>
    </message>
    <message>
        <source>This file is not a receipt, or it is damaged. Nothing was changed.</source>
        <translation>هذا الملف ليس إيصالاً، أو أنه تالف. لم يتغيّر شيء.</translation>
    </message>
    <message>
        <source>This receipt was made by a newer server. Update the app, then read it again.</source>
        <translation>صدر هذا الإيصال عن خادم أحدث. حدّث التطبيق، ثم اقرأه من جديد.</translation>
    </message>
    <message>
        <source>The receipt&apos;s signature does not verify with the server&apos;s key: it was altered or not made by the server. Nothing was changed.</source>
        <translation>التوقيع الرقمي للإيصال لا يطابق مفتاح الخادم: فقد عُدِّل أو لم يصدره الخادم. لم يتغيّر شيء.</translation>
    </message>
    <message>
        <source>This receipt was signed by another server than the one this device is enrolled with. Nothing was changed.</source>
        <translation>وقّع هذا الإيصالَ خادمٌ غير الخادم المسجَّل لديه هذا الجهاز. لم يتغيّر شيء.</translation>
    </message>
    <message>
        <source>This receipt is for another device. Nothing was changed.</source>
        <translation>هذا الإيصال لجهاز آخر. لم يتغيّر شيء.</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>لم ينجح ذلك: %1</translation>
    </message>
</context>
<context>
    <name>ThanksPage</name>
    <message>
        <source>Your signature has been saved on this device.</source>
        <translation>حُفظ توقيعك على هذا الجهاز.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>تم</translation>
    </message>
    <message>
        <source>Your receipt: scan it to confirm or withdraw your signature later.</source>
        <translation>إيصالك: امسحه ضوئيًا لتأكيد توقيعك أو سحبه لاحقًا.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
            <numerusform>توقيع واحد على هذا الجهاز</numerusform>
            <numerusform>توقيعان على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعات على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعًا على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This screen closes in %Ln second(s).</source>
        <translation>
            <numerusform>تُغلَق هذه الشاشة خلال %Ln ثانية.</numerusform>
            <numerusform>تُغلَق هذه الشاشة خلال ثانية واحدة.</numerusform>
            <numerusform>تُغلَق هذه الشاشة خلال ثانيتين.</numerusform>
            <numerusform>تُغلَق هذه الشاشة خلال %Ln ثوانٍ.</numerusform>
            <numerusform>تُغلَق هذه الشاشة خلال %Ln ثانية.</numerusform>
            <numerusform>تُغلَق هذه الشاشة خلال %Ln ثانية.</numerusform>
        </translation>
    </message>
</context>
</TS>
